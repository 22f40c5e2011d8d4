// bench/enrich: what the offline enrichment databases cost (RSS after load and a full GC, minus
// the same process before), how long the lazy open takes, and lookups per second, uncached
// (distinct random public addresses) and cached (a small working set, as list pages repeat).
// usage: bun bench/enrich/run.ts [lookups=200000]
import { defaultFiles, Enricher } from "@honeymesh/enrich/enricher";
import { join } from "node:path";

const N = Number(process.argv[2] ?? 200_000);
const rss = async () => {
  Bun.gc(true);
  await Bun.sleep(50);
  Bun.gc(true);
  return Number(/VmRSS:\s+(\d+)/.exec(await Bun.file("/proc/self/status").text())![1]) / 1024;
};
const e = new Enricher(defaultFiles(join(import.meta.dir, "..", "..")));
const before = await rss();
await e.ready();
const after = await rss();
const st = e.status();
console.log(`open: ${st.load_ms} ms; RSS +${(after - before).toFixed(1)} MB (${before.toFixed(1)} -> ${after.toFixed(1)} MB); ranges v4 ${st.ranges.v4}, v6 ${st.ranges.v6}, ASNs ${st.ranges.asns}, dropped ${st.ranges.dropped}; problems ${st.problems.length}`);

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
const v4 = Array.from({ length: N }, () => `${1 + (rnd() % 222)}.${rnd()}.${rnd()}.${rnd()}`);
const v6 = Array.from({ length: N / 4 }, () => `2a0${rnd() % 10}:${rnd().toString(16)}${rnd().toString(16)}::${rnd().toString(16)}`);
const time = (label: string, list: string[], enr: Enricher) => {
  const t0 = performance.now();
  let found = 0;
  for (const a of list) if (enr.lookup(a)) found++;
  const ms = performance.now() - t0;
  console.log(`${label}: ${list.length} lookups in ${ms.toFixed(0)} ms = ${((ms * 1000) / list.length).toFixed(2)} µs each (${found} found)`);
};
// A cache as small as 1 keeps every lookup a miss: the database path alone.
const cold = new Enricher(e.files, 1);
await cold.ready();
time("uncached IPv4", v4, cold);
time("uncached IPv6", v6, cold);
time("cached (working set 1000)", Array.from({ length: N }, (_, i) => v4[i % 1000]!), e);
console.log(`RSS at the end ${(await rss()).toFixed(1)} MB`);
