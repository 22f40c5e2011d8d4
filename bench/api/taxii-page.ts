// TAXII objects page cost on a large ban table: `bun bench/api/taxii-page.ts [bans]`.
// Pages are ordered by date added (MAX(created_at, updated_at)), which enforcerd's schema does not
// index: every page scans the active bans and keeps the top `limit` (SQLite's top-N sorter).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../packages/db/src/open.ts";
import * as schema from "../../packages/tables/src/enforcerd.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import { OwnerDb } from "../../services/apid/src/read/owner-db.ts";
import { ObjectSource } from "../../services/apid/src/taxii/object-source.ts";
import { collectionsOf } from "../../services/apid/src/taxii/collections.ts";
import { ROOT } from "../../test/support/bus-node.ts";

const N = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), "hm-bench-taxii-"));
const path = join(dir, "enforcerd.sqlite");
const store = openStore({ path, schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") });
const now = Date.now();
const rows: BanRow[] = [];
for (let i = 0; i < N; i++) rows.push({ address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, kind: "ip", reasons: 2, expiresAt: now + 3_600_000, createdAt: now - N + i, updatedAt: now - N + i, origin: "n", source: "scand", offence: 1, evidence: [{ kind: "scan", summary: "SCAN" }], confidence: "verified" });
const bs = new BanStore(store);
for (let i = 0; i < rows.length; i += 10_000) bs.putMany(rows.slice(i, i + 10_000));
store.close();
const src = new ObjectSource(new OwnerDb(path), "n");
const f = collectionsOf("n")[0]!.filter;
src.page(f, { limit: 1 });
for (const [what, o] of [["first page of 100", { limit: 100 }], ["page of 1000 in the middle", { limit: 1000, cursor: { added: now - N / 2, address: "" } }], ["added_after near the end", { limit: 100, addedAfter: now - 50 }]] as const) {
  const t = performance.now();
  const reps = 5;
  for (let i = 0; i < reps; i++) src.page(f, o);
  console.log(`${N} bans, ${what}: ${((performance.now() - t) / reps).toFixed(1)} ms`);
}
// match[id] and one-object requests: a scan of the collection hashing each ban's id.
const { indicatorId } = await import("../../services/apid/src/feeds-out/formats.ts");
const want = new Set([indicatorId(rows[N - 1]!.address, rows[N - 1]!.createdAt)]);
const t = performance.now();
const hit = await src.scan(f, undefined, (r) => want.has(indicatorId(r.values[1], r.values[5])), 1);
console.log(`${N} bans, match[id] of the newest ban (full scan): ${(performance.now() - t).toFixed(1)} ms, found ${hit.length}`);
rmSync(dir, { recursive: true, force: true });
