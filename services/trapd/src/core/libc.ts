import { dlopen, FFIType } from "bun:ffi";

/** The few libc calls trapd makes that Bun does not expose. */
export type Libc = {
  getsockopt: (fd: number, level: number, name: number, val: number, len: number) => number;
  listen: (fd: number, backlog: number) => number;
};

let libc: Libc | null | undefined;

/** libc, opened once; null where none loads (then callers fall back to what Bun gives). */
export function openLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  for (const name of ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"]) {
    try {
      const l = dlopen(name, {
        getsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
        listen: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      });
      libc = l.symbols as unknown as Libc;
      break;
    } catch {
      // not this libc
    }
  }
  return libc;
}
