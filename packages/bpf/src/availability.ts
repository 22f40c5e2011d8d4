/**
 * Can this process use BPF here? Each failure is a precise sentence for the
 * operator (not root / no CAP_BPF, bpffs missing, kernel too old, libbpf).
 */
import { readFileSync, existsSync } from "node:fs";
import { release } from "node:os";
import { tryLibbpf } from "./libbpf.ts";

export type Availability = { ok: true } | { ok: false; reason: string };

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;
const CAP_BPF = 39n;

function effectiveCaps(): bigint {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? BigInt(`0x${m[1]}`) : 0n;
}

function kernelAtLeast(major: number, minor: number): boolean {
  const [a = 0, b = 0] = release().split(/[.-]/).map(Number);
  return a > major || (a === major && b >= minor);
}

/** True when `dir` is on a mounted bpffs (the mount point or below it). */
export function onBpffs(dir: string): boolean {
  const mounts = readFileSync("/proc/mounts", "utf8").split("\n");
  return mounts.some((l) => {
    const [, mnt, type] = l.split(" ");
    return type === "bpf" && mnt !== undefined && (dir === mnt || dir.startsWith(mnt.endsWith("/") ? mnt : `${mnt}/`));
  });
}

export function bpfAvailability(o: { pinRoot?: string; minKernel?: [number, number] } = {}): Availability {
  if (process.platform !== "linux") return { ok: false, reason: `BPF needs Linux; this is ${process.platform}.` };
  const [maj, min] = o.minKernel ?? [5, 12];
  if (!kernelAtLeast(maj, min))
    return { ok: false, reason: `Kernel ${release()} is too old: HoneyMesh XDP needs ${maj}.${min} or newer.` };
  const caps = effectiveCaps();
  const has = (c: bigint) => (caps & (1n << c)) !== 0n;
  if (!has(CAP_BPF) && !has(CAP_SYS_ADMIN))
    return { ok: false, reason: "Missing CAP_BPF: run enforcerd as root or grant CAP_BPF and CAP_NET_ADMIN." };
  if (!has(CAP_NET_ADMIN)) return { ok: false, reason: "Missing CAP_NET_ADMIN: needed to attach XDP programs." };
  if (!existsSync("/sys/fs/bpf") || !onBpffs(o.pinRoot ?? "/sys/fs/bpf"))
    return { ok: false, reason: `No bpffs at ${o.pinRoot ?? "/sys/fs/bpf"}: mount -t bpf bpf /sys/fs/bpf.` };
  const l = tryLibbpf();
  if (!l.ok) return { ok: false, reason: l.reason };
  return { ok: true };
}
