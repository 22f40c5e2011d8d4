/**
 * Drop rate on a real veth: frames from the attacker (live-frames generator)
 * hit the victim veth, where either HoneyMesh XDP drops them, or a pass-only
 * XDP program hands them to the stack and an nftables netdev ingress set drops
 * them. Rates are measured at the receiver (drop counters / generator time).
 */
import { join } from "node:path";
import type { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import type { NetnsPair } from "../../test/support/netns.ts";
import { udpFrame } from "./addresses.ts";
import { nftDelete, nftDropped, nftLoad } from "./nft.ts";

const DIR = import.meta.dir;
const BENCH_OBJECT = join(DIR, "../../bpf/build/hm_bench.bpf.o");
const FRAMES = 6_000_000;

export interface LiveResult {
  name: string;
  sentPps: number;
  droppedPps: number;
  setupMs?: number;
}

async function must(pair: NetnsPair, side: "victim" | "attacker", argv: string[], timeoutMs = 60_000): Promise<string> {
  const r = await pair.run(side, argv, timeoutMs);
  if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function generate(pair: NetnsPair, frame: Uint8Array, frames: number): Promise<number> {
  const out = await must(pair, "attacker", [process.execPath, join(DIR, "gen.ts"), BENCH_OBJECT, pair.attacker.ifname, Buffer.from(frame).toString("hex"), String(frames)]);
  return (JSON.parse(out.trim()) as { elapsedNs: number }).elapsedNs;
}

async function measure(pair: NetnsPair, name: string, frame: Uint8Array, dropped: () => Promise<number>): Promise<LiveResult> {
  await generate(pair, frame, 200_000); // warm-up
  const d0 = await dropped();
  const ns = await generate(pair, frame, FRAMES);
  const d1 = await dropped();
  return { name, sentPps: FRAMES / (ns / 1e9), droppedPps: (d1 - d0) / (ns / 1e9) };
}

export async function liveDropRate(o: { pair: NetnsPair; k: KernelEnforcer; pinRoot: string; objectPath: string; bans: number }): Promise<LiveResult[]> {
  const { pair, k } = o;
  const macs = JSON.parse(await must(pair, "victim", ["ip", "-j", "link", "show", "dev", pair.victim.ifname])) as Array<{ address: string }>;
  const mac = macs[0]!.address.split(":").map((h) => parseInt(h, 16));
  const frame = udpFrame(pair.attacker.v4.split(".").map(Number), pair.victim.v4.split(".").map(Number), mac);
  const attach = (obj: string, prog: string, pin?: string) =>
    must(pair, "victim", [process.execPath, join(DIR, "ns-attach.ts"), "attach", obj, prog, pair.victim.ifname, ...(pin ? [pin] : [])]);

  k.upsertBans([{ address: pair.attacker.v4, reasons: 8, expiresAtMs: 0 }]);
  await attach(o.objectPath, "hm_xdp", o.pinRoot);
  const hm = await measure(pair, `HoneyMesh XDP (${o.bans.toLocaleString("en")} bans)`, frame, async () => Number(k.counters().dropped));

  await attach(BENCH_OBJECT, "hm_pass"); // atomic replace; keeps veth NAPI for redirected frames
  const setupMs = await nftLoad(pair, o.bans);
  await must(pair, "victim", ["nft", "add", "element", "netdev", "hmbench", "banned", `{ ${pair.attacker.v4} }`]);
  try {
    const nft = await measure(pair, `nftables netdev ingress set (${o.bans.toLocaleString("en")})`, frame, () => nftDropped(pair));
    return [hm, { ...nft, setupMs }];
  } finally {
    await nftDelete(pair);
  }
}
