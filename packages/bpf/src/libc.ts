/** The few libc calls the binding needs: interface names, clocks, fds, strerror. */
import { dlopen, FFIType, CString } from "bun:ffi";
import { cString } from "./native.ts";

const libc = dlopen(process.platform === "linux" ? "libc.so.6" : "libc.so", {
  if_nametoindex: { args: [FFIType.ptr], returns: FFIType.u32 },
  if_indextoname: { args: [FFIType.u32, FFIType.ptr], returns: FFIType.ptr },
  clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
  strerror: { args: [FFIType.i32], returns: FFIType.ptr },
}).symbols;

/** Linux clock ids (include/uapi/linux/time.h). */
export const CLOCK_REALTIME = 0;
export const CLOCK_BOOTTIME = 7;

/** 0 when the interface does not exist in the caller's network namespace. */
export function ifNameToIndex(name: string): number {
  return libc.if_nametoindex(cString(name));
}

export function ifIndexToName(index: number): string | undefined {
  const buf = new Uint8Array(16); // IF_NAMESIZE
  return libc.if_indextoname(index, buf) ? new TextDecoder().decode(buf.subarray(0, buf.indexOf(0))) : undefined;
}

const ts = new BigInt64Array(2);

/** clock_gettime() in nanoseconds. */
export function clockNs(clock: number): bigint {
  if (libc.clock_gettime(clock, ts) !== 0) throw new Error(`clock_gettime(${clock}) failed`);
  return ts[0]! * 1_000_000_000n + ts[1]!;
}

/** CLOCK_BOOTTIME, the clock of bpf_ktime_get_boot_ns(). */
export function bootTimeNs(): bigint {
  return clockNs(CLOCK_BOOTTIME);
}

export function closeFd(fd: number): void {
  if (fd >= 0) libc.close(fd);
}

export function strerror(errno: number): string {
  const p = libc.strerror(errno);
  return p ? new CString(p).toString() : `errno ${errno}`;
}
