/**
 * One error class for the binding. `code` is a literal string: an errno name
 * for kernel/libbpf failures, or a binding-level code. `errno` is the positive
 * errno (0 when not applicable); `message` is a full human sentence.
 */
import { tryLibbpf } from "./libbpf.ts";

const ERRNO_NAMES = {
  1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 7: "E2BIG", 9: "EBADF",
  11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 16: "EBUSY", 17: "EEXIST",
  19: "ENODEV", 22: "EINVAL", 24: "EMFILE", 28: "ENOSPC", 34: "ERANGE", 38: "ENOSYS",
  95: "EOPNOTSUPP", 524: "ENOTSUPP",
  // libbpf's own codes (libbpf.h enum libbpf_errno)
  4000: "LIBBPF_ERRNO__LIBELF", 4001: "LIBBPF_ERRNO__FORMAT", 4002: "LIBBPF_ERRNO__KVERSION",
  4003: "LIBBPF_ERRNO__ENDIAN", 4004: "LIBBPF_ERRNO__INTERNAL", 4005: "LIBBPF_ERRNO__RELOC",
  4006: "LIBBPF_ERRNO__LOAD", 4007: "LIBBPF_ERRNO__VERIFY", 4008: "LIBBPF_ERRNO__PROG2BIG",
  4009: "LIBBPF_ERRNO__KVER", 4010: "LIBBPF_ERRNO__PROGTYPE", 4011: "LIBBPF_ERRNO__WRNGPID",
  4012: "LIBBPF_ERRNO__INVSEQ", 4013: "LIBBPF_ERRNO__NLPARSE",
} as const;

type ErrnoName = (typeof ERRNO_NAMES)[keyof typeof ERRNO_NAMES];

/** Binding-level failures that have no errno. */
export type BindingCode =
  | "LIBBPF_UNAVAILABLE"
  | "NO_SUCH_PROGRAM"
  | "NO_SUCH_MAP"
  | "NO_SUCH_INTERFACE"
  | "BAD_ARGUMENT"
  | "CLOSED"
  | "UNKNOWN_ERRNO";

export type BpfErrorCode = ErrnoName | BindingCode;

export class BpfError extends Error {
  override readonly name = "BpfError";
  constructor(
    readonly code: BpfErrorCode,
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }

  /** From a libbpf return value (-errno) and the operation that failed. */
  static fromErrno(op: string, err: number): BpfError {
    const errno = Math.abs(err);
    const code: BpfErrorCode = (ERRNO_NAMES as Record<number, ErrnoName>)[errno] ?? "UNKNOWN_ERRNO";
    return new BpfError(code, errno, `${op} failed: ${describeErrno(errno)} (${code}).`);
  }
}

/** libbpf_strerror() covers both errno and libbpf's own 4000+ codes. */
export function describeErrno(errno: number): string {
  const l = tryLibbpf();
  if (!l.ok) return `errno ${errno}`;
  const buf = new Uint8Array(256);
  l.lib.libbpf_strerror(errno, buf, BigInt(buf.length));
  const end = buf.indexOf(0);
  return new TextDecoder().decode(buf.subarray(0, end < 0 ? buf.length : end));
}

/** Throws BpfError when a libbpf int return is negative; returns it otherwise. */
export function check(op: string, ret: number): number {
  if (ret < 0) throw BpfError.fromErrno(op, ret);
  return ret;
}

/** The libbpf symbols, or a BpfError LIBBPF_UNAVAILABLE. */
export function lib() {
  const l = tryLibbpf();
  if (!l.ok) throw new BpfError("LIBBPF_UNAVAILABLE", 0, l.reason);
  return l.lib;
}
