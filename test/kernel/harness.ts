/**
 * Shared set-up for kernel tests: skip decision, BPF object build, private
 * bpffs pin roots, XDP attach inside the victim namespace, traffic probes.
 */
import { rmSync, mkdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { bpfAvailability } from "@honeymesh/bpf/availability";
import type { NetnsPair, Side } from "../support/netns.ts";

export const ROOT = resolve(import.meta.dir, "../..");
export const OBJECT = join(ROOT, "bpf/build/honeymesh.bpf.o");
export const BENCH_OBJECT = join(ROOT, "bpf/build/hm_bench.bpf.o");
const FIX = join(import.meta.dir, "fixtures");

/** Why kernel tests cannot run here, or undefined. Builds the object when missing. */
export function kernelSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "kernel tests need root (CAP_BPF, CAP_NET_ADMIN, netns)";
  const a = bpfAvailability();
  if (!a.ok) return a.reason;
  if (!existsSync(OBJECT) || !existsSync(BENCH_OBJECT)) {
    const r = Bun.spawnSync(["make", "-C", join(ROOT, "bpf")], { stdout: "pipe", stderr: "pipe" });
    // A broken build is a failure, not a reason to skip.
    if (r.exitCode !== 0) throw new Error(`make -C bpf failed:\n${r.stderr.toString()}`);
  }
  return undefined;
}

export function makePinRoot(tag?: string): string {
  const dir = `/sys/fs/bpf/hm-test-${tag ? `${tag}-` : ""}${randomBytes(3).toString("hex")}`;
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

export function removePinRoot(dir: string): void {
  if (dir.startsWith("/sys/fs/bpf/hm-test-")) rmSync(dir, { recursive: true, force: true });
}

/** Loads + attaches HoneyMesh XDP on the victim's veth from a process inside the victim netns. */
export async function xdpCtl(pair: NetnsPair, pinRoot: string, cmd: "attach" | "detach" | "query", mode = "native", ifname = pair.victim.ifname) {
  const r = await pair.run("victim", [process.execPath, join(FIX, "xdp-ctl.ts"), cmd, OBJECT, pinRoot, ifname, mode]);
  if (r.code !== 0) throw new Error(`xdp-ctl ${cmd} failed: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { ok: true; value: unknown };
}

export async function tcpOk(pair: NetnsPair, from: Side, host: string, port: number, timeoutMs = 800): Promise<boolean> {
  const r = await pair.run(from, [process.execPath, join(FIX, "tcp-probe.ts"), host, String(port), String(timeoutMs)]);
  return r.code === 0;
}

export async function pingOk(pair: NetnsPair, from: Side, host: string, timeoutS = 0.6): Promise<boolean> {
  const r = await pair.run(from, ["/usr/bin/python3", join(FIX, "icmp-ping.py"), host, "1", String(timeoutS)]);
  return r.code === 0;
}

/** Starts a TCP listener in the victim; resolves once it is accepting. Kill it by its pid. */
export async function startListener(pair: NetnsPair, port: number) {
  const p = Bun.spawn(pair.argv("victim", [process.execPath, join(FIX, "tcp-listen.ts"), String(port)]), { stdout: "pipe", stderr: "inherit" });
  const reader = p.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  if (!value || !new TextDecoder().decode(value).includes("listening")) throw new Error("listener did not start");
  return p;
}

/** Reachability of the victim from the attacker over the four probes. */
export async function reach(pair: NetnsPair, port: number) {
  const v = pair.victim;
  const [tcp4, icmp4, tcp6, icmp6] = await Promise.all([
    tcpOk(pair, "attacker", v.v4, port),
    pingOk(pair, "attacker", v.v4),
    tcpOk(pair, "attacker", v.v6, port),
    pingOk(pair, "attacker", v.v6),
  ]);
  return { tcp4, icmp4, tcp6, icmp6 };
}
