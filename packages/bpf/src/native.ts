/** Small helpers for C interop: NUL-terminated strings and struct pointers. */
import { ptr } from "bun:ffi";

const enc = new TextEncoder();

/** A NUL-terminated UTF-8 copy of s; keep a reference while C may read it. */
export function cString(s: string): Uint8Array {
  const b = new Uint8Array(Buffer.byteLength(s) + 1);
  enc.encodeInto(s, b);
  return b;
}

/** Address of a typed array as a bigint, for storing into a C struct. */
export function addrOf(buf: Uint8Array | null | undefined): bigint {
  return buf && buf.byteLength > 0 ? BigInt(ptr(buf)) : 0n;
}

/** A zeroed C struct whose first field is `size_t sz` (libbpf *_opts convention). */
export function optsStruct(size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(size), true);
  return { bytes, view };
}
