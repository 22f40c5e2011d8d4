/** nftables baseline: a netdev ingress chain on the victim veth dropping saddr in a 1M set. */
import { writeFileSync, rmSync } from "node:fs";
import type { NetnsPair } from "../../test/support/netns.ts";
import { addrText } from "./addresses.ts";

const TABLE = "hmbench";

export async function nftLoad(pair: NetnsPair, count: number): Promise<number> {
  const file = `/tmp/hm-bench-${pair.id}.nft`;
  const lines = [
    `table netdev ${TABLE} {`,
    `  set banned { type ipv4_addr; size ${count + 1024}; }`,
    `  chain ingress { type filter hook ingress device "${pair.victim.ifname}" priority -500; policy accept;`,
    `    ip saddr @banned counter drop`,
    `  }`,
    `}`,
  ];
  const CHUNK = 50_000;
  for (let i = 0; i < count; i += CHUNK) {
    const els: string[] = [];
    for (let j = i; j < Math.min(i + CHUNK, count); j++) els.push(addrText(j));
    lines.push(`add element netdev ${TABLE} banned { ${els.join(", ")} }`);
  }
  writeFileSync(file, lines.join("\n"));
  const t0 = performance.now();
  const r = await pair.run("victim", ["nft", "-f", file], 120_000);
  rmSync(file, { force: true });
  if (r.code !== 0) throw new Error(`nft -f: ${r.stderr.slice(0, 500)}`);
  return performance.now() - t0;
}

export async function nftDropped(pair: NetnsPair): Promise<number> {
  const r = await pair.run("victim", ["nft", "-j", "list", "chain", "netdev", TABLE, "ingress"]);
  const j = JSON.parse(r.stdout) as { nftables: Array<{ rule?: { expr: Array<{ counter?: { packets: number } }> } }> };
  for (const item of j.nftables) for (const e of item.rule?.expr ?? []) if (e.counter) return e.counter.packets;
  return 0;
}

export async function nftDelete(pair: NetnsPair): Promise<void> {
  await pair.run("victim", ["nft", "delete", "table", "netdev", TABLE]);
}
