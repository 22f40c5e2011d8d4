/** Prints the bench results as plain tables with the goals checked. */
import type { LiveResult } from "./live.ts";

export interface Report {
  floorNs: number;
  rows: Array<{ bans: number; hmHit: number; hmMiss: number; xf: { hit: number; miss: number } | undefined }>;
  load: { kernelMs: number; endToEndMs: number; memlockBytes: number };
  live: LiveResult[];
}

const pad = (s: string, n: number) => s.padStart(n);
const fmtN = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`);

export function printReport(r: Report): void {
  console.log("\n== ns/packet, BPF_PROG_TEST_RUN (64 B IPv4/UDP, repeat 1M, best of 5) ==");
  console.log(`(floor: an XDP program that only returns XDP_PASS measures ${r.floorNs} ns here)`);
  console.log(`${pad("exact v4 bans", 14)} | ${pad("HoneyMesh hit", 14)} | ${pad("HoneyMesh miss", 14)} | ${pad("xdp-filter hit", 14)} | ${pad("xdp-filter miss", 15)}`);
  for (const row of r.rows) {
    const xf = row.xf ? [`${row.xf.hit} ns`, `${row.xf.miss} ns`] : ["n/a (cap 10k)", "n/a (cap 10k)"];
    console.log(`${pad(fmtN(row.bans), 14)} | ${pad(`${row.hmHit} ns`, 14)} | ${pad(`${row.hmMiss} ns`, 14)} | ${pad(xf[0]!, 14)} | ${pad(xf[1]!, 15)}`);
  }
  console.log("\n== loading 1M exact IPv4 bans into the kernel ==");
  console.log(`kernel batch (BPF_MAP_UPDATE_BATCH, pre-encoded):   ${r.load.kernelMs.toFixed(0)} ms`);
  console.log(`end to end (KernelEnforcer.upsertBans from text):    ${r.load.endToEndMs.toFixed(0)} ms`);
  console.log(`hm_ban_v4 memlock at 1M (BPF_F_NO_PREALLOC):         ${(r.load.memlockBytes / 2 ** 20).toFixed(1)} MiB`);
  console.log("\n== drop rate on a veth (live-frames generator in the attacker netns) ==");
  for (const l of r.live)
    console.log(`${l.name.padEnd(46)} dropped ${(l.droppedPps / 1e6).toFixed(2)} Mpps (offered ${(l.sentPps / 1e6).toFixed(2)} Mpps)${l.setupMs ? `, set load ${(l.setupMs / 1000).toFixed(1)} s` : ""}`);
  const at1M = r.rows.find((x) => x.bans === 1_000_000);
  const [hm, nft] = r.live;
  const ratio = hm && nft ? hm.droppedPps / nft.droppedPps : 0;
  console.log("\n== goals ==");
  console.log(`<= 70 ns/packet at 1M bans: hit ${at1M?.hmHit} ns, miss ${at1M?.hmMiss} ns -> ${at1M && Math.max(at1M.hmHit, at1M.hmMiss) <= 70 ? "MET" : "NOT MET"}`);
  console.log(`>= 2x nftables drop rate: ${ratio.toFixed(2)}x -> ${ratio >= 2 ? "MET" : "NOT MET"}`);
  console.log(`1M bans loaded in <= 2 s: kernel ${(r.load.kernelMs / 1000).toFixed(2)} s, end to end ${(r.load.endToEndMs / 1000).toFixed(2)} s -> ${r.load.endToEndMs <= 2000 ? "MET" : r.load.kernelMs <= 2000 ? "MET (kernel only)" : "NOT MET"}`);
}
