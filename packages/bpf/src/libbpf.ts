/**
 * dlopen of libbpf.so.1 (libbpf >= 1.0: every call returns -errno on failure,
 * pointer-returning calls return NULL and set errno, read via libbpf_get_error).
 * Struct layouts used with these symbols live next to their callers and were
 * checked with offsetof() against libbpf 1.1 headers on x86_64/arm64 (LP64).
 */
import { dlopen, FFIType } from "bun:ffi";

const { ptr, i32, u32, i64, u64, void: v } = FFIType;

const symbols = {
  libbpf_get_error: { args: [ptr], returns: i64 },
  libbpf_strerror: { args: [i32, ptr, u64], returns: i32 },
  libbpf_num_possible_cpus: { args: [], returns: i32 },
  libbpf_set_print: { args: [ptr], returns: ptr },
  libbpf_major_version: { args: [], returns: u32 },
  libbpf_minor_version: { args: [], returns: u32 },

  bpf_object__open_file: { args: [ptr, ptr], returns: ptr },
  bpf_object__load: { args: [ptr], returns: i32 },
  bpf_object__close: { args: [ptr], returns: v },
  bpf_object__find_program_by_name: { args: [ptr, ptr], returns: ptr },
  bpf_object__find_map_by_name: { args: [ptr, ptr], returns: ptr },
  bpf_program__fd: { args: [ptr], returns: i32 },
  bpf_program__set_autoload: { args: [ptr, FFIType.bool], returns: i32 },
  bpf_program__attach: { args: [ptr], returns: ptr },
  bpf_link__destroy: { args: [ptr], returns: i32 },
  bpf_map__fd: { args: [ptr], returns: i32 },
  bpf_map__pin_path: { args: [ptr], returns: ptr },
  bpf_map__is_pinned: { args: [ptr], returns: FFIType.bool },

  bpf_obj_get: { args: [ptr], returns: i32 },
  bpf_obj_pin: { args: [i32, ptr], returns: i32 },
  bpf_obj_get_info_by_fd: { args: [i32, ptr, ptr], returns: i32 },
  bpf_prog_get_fd_by_id: { args: [u32], returns: i32 },

  bpf_map_update_elem: { args: [i32, ptr, ptr, u64], returns: i32 },
  bpf_map_lookup_elem: { args: [i32, ptr, ptr], returns: i32 },
  bpf_map_delete_elem: { args: [i32, ptr], returns: i32 },
  bpf_map_get_next_key: { args: [i32, ptr, ptr], returns: i32 },
  bpf_map_update_batch: { args: [i32, ptr, ptr, ptr, ptr], returns: i32 },
  bpf_map_delete_batch: { args: [i32, ptr, ptr, ptr], returns: i32 },
  bpf_map_lookup_batch: { args: [i32, ptr, ptr, ptr, ptr, ptr, ptr], returns: i32 },

  bpf_xdp_attach: { args: [i32, i32, u32, ptr], returns: i32 },
  bpf_xdp_detach: { args: [i32, u32, ptr], returns: i32 },
  bpf_xdp_query: { args: [i32, i32, ptr], returns: i32 },

  bpf_prog_test_run_opts: { args: [i32, ptr], returns: i32 },

  ring_buffer__new: { args: [i32, ptr, ptr, ptr], returns: ptr },
  ring_buffer__poll: { args: [ptr, i32], returns: i32 },
  ring_buffer__consume: { args: [ptr], returns: i32 },
  ring_buffer__free: { args: [ptr], returns: v },
} as const;

export type Libbpf = ReturnType<typeof dlopen<typeof symbols>>["symbols"];

const CANDIDATES = [
  process.env.HONEYMESH_LIBBPF,
  "libbpf.so.1",
  "/usr/lib/x86_64-linux-gnu/libbpf.so.1",
  "/usr/lib/aarch64-linux-gnu/libbpf.so.1",
  "/usr/lib64/libbpf.so.1",
].filter((p): p is string => typeof p === "string" && p.length > 0);

let cached: Libbpf | undefined;
let loadError: string | undefined;

/** The libbpf symbols, or a sentence saying why libbpf could not be loaded. */
export function tryLibbpf(): { ok: true; lib: Libbpf } | { ok: false; reason: string } {
  if (cached) return { ok: true, lib: cached };
  if (loadError) return { ok: false, reason: loadError };
  const tried: string[] = [];
  for (const path of CANDIDATES) {
    try {
      cached = dlopen(path, symbols).symbols;
      return { ok: true, lib: cached };
    } catch (e) {
      tried.push(`${path}: ${(e as Error).message}`);
    }
  }
  loadError = `libbpf.so.1 could not be loaded (install libbpf1): ${tried.join("; ")}`;
  return { ok: false, reason: loadError };
}
