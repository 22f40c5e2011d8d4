// bench/enrich/apid-rss: what enrichment costs a running apid. Starts busd + enforcerd + apid
// (the test harness), bans a few public addresses, reads apid's RSS, makes the first request
// that needs the databases, reads it again, then times a few list requests.
// usage: bun bench/enrich/apid-rss.ts
import { ApiNode, rssKb } from "../../test/apid/harness.ts";

const n = await new ApiNode().start();
try {
  for (const a of ["8.8.8.8", "1.1.1.1", "193.99.144.80", "2001:4860:4860::8888"]) await n.req("POST", "/v1/bans", { body: { address: a, ttl_s: 600 } });
  await n.req("GET", "/v1/status");
  await Bun.sleep(2000);
  const before = rssKb(n.apid.pid);
  let t0 = performance.now();
  const first = await n.req("GET", "/v1/bans?asn=15169");
  const firstMs = performance.now() - t0;
  await Bun.sleep(2000);
  const after = rssKb(n.apid.pid);
  t0 = performance.now();
  for (let i = 0; i < 20; i++) await n.req("GET", "/v1/bans?country=US");
  const listMs = (performance.now() - t0) / 20;
  console.log(`apid RSS before the first enriched request ${(before / 1024).toFixed(1)} MB, after ${(after / 1024).toFixed(1)} MB (+${((after - before) / 1024).toFixed(1)} MB)`);
  console.log(`first enriched request (loads the databases): ${firstMs.toFixed(0)} ms, ${first.json.items.length} items; later filtered lists over curl: ${listMs.toFixed(1)} ms each`);
} finally {
  await n.stop();
}
