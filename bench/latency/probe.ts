import { join } from "node:path";
import type { NetnsPair } from "../../test/support/netns.ts";

export interface ProbeResult {
  /** Per source: send time of the first follow-up SYN that XDP dropped − send time of the threshold SYN, ms. */
  latencies: number[];
  /** Sources whose very next packet after the threshold one was dropped. */
  nextDropped: number;
  /** Sources none of whose follow-ups was dropped (the drop came later than the probe lasted). */
  neverDropped: number;
  /** Sources with a follow-up passed after one was dropped, or a threshold SYN missing: not measured. */
  anomalies: number;
  /** Threshold packet send time (unix ms) per source, for stage breakdowns. */
  t0: Map<string, number>;
}

interface SenderLine {
  src: string;
  t0_ns: number;
  follow_ns: number[];
}

/**
 * One measurement run: a receiver in the victim notes every SYN XDP let through (AF_PACKET taps
 * see only passed frames), the sender crosses the threshold for n sources and keeps probing each
 * with fresh-port SYNs `gapUs` apart. The first follow-up missing at the receiver is the first
 * dropped packet. The result's resolution is the probe spacing.
 */
export async function probe(pair: NetnsPair, prefix: string, n: number, threshold: number, follow: number, gapUs: number, pauseMs: number): Promise<ProbeResult> {
  const rx = Bun.spawn(pair.argv("victim", ["/usr/bin/python3", join(import.meta.dir, "syn-seen.py"), pair.victim.ifname, `${prefix}.`]), { stdout: "pipe", stderr: "inherit" });
  const reader = rx.stdout.getReader();
  const first = await reader.read();
  if (!new TextDecoder().decode(first.value).startsWith("ready")) throw new Error("syn-seen.py did not start");
  const tx = await pair.run("attacker", ["/usr/bin/python3", join(import.meta.dir, "syn-probe.py"), pair.victim.v4, String(n), String(threshold), String(follow), String(gapUs), prefix, String(pauseMs)], 600_000);
  if (tx.code !== 0) throw new Error(`syn-probe.py failed: ${tx.stderr}`);
  await Bun.sleep(200);
  rx.kill("SIGTERM");
  let out = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  await rx.exited;
  const seen = JSON.parse(out.trim().split("\n").pop() ?? "{}") as Record<string, number[]>;
  const r: ProbeResult = { latencies: [], nextDropped: 0, neverDropped: 0, anomalies: 0, t0: new Map() };
  for (const line of tx.stdout.trim().split("\n")) {
    const s = JSON.parse(line) as SenderLine;
    r.t0.set(s.src, s.t0_ns / 1e6);
    const got = new Set(seen[s.src] ?? []);
    const thresholdSeen = Array.from({ length: threshold }, (_, p) => 1000 + p).every((p) => got.has(p));
    const j = s.follow_ns.findIndex((_, j) => !got.has(2000 + j));
    if (j < 0) {
      r.neverDropped++;
      continue;
    }
    // A gap the receiver missed (its socket overflowed) would pass for an early drop: such a
    // source is counted, not measured.
    if (!thresholdSeen || s.follow_ns.slice(j).some((_, i) => got.has(2000 + j + i))) {
      r.anomalies++;
      continue;
    }
    if (j === 0) r.nextDropped++;
    r.latencies.push((s.follow_ns[j]! - s.t0_ns) / 1e6);
  }
  return r;
}
