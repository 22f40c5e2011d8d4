import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { BanStore, type BanWrite } from "./ban-store.ts";
import * as schema from "@honeymesh/tables/enforcerd";

const dirs: string[] = [];
function fresh(): { store: BanStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "hm-store-"));
  dirs.push(dir);
  const path = join(dir, "enforcerd.sqlite");
  return { store: new BanStore(openStore({ path, schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle") })), path };
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const w = (over: Partial<BanWrite>): BanWrite => ({ address: "198.51.100.7", kind: "ip", reasons: 2, expiresAt: 10_000, origin: "n", source: "scand", evidence: [{ kind: "scan", summary: "a" }], at: 0, confidence: "verified", counts: true, ...over });

test("reasons stack, the later expiry wins, permanent beats any time", () => {
  const { store } = fresh();
  expect(store.apply(w({}), 0).change).toBe("added");
  expect(store.apply(w({ reasons: 1, expiresAt: 5_000 }), 1).row).toMatchObject({ reasons: 3, expiresAt: 10_000 });
  expect(store.apply(w({ reasons: 1, expiresAt: 5_000 }), 2).change).toBe("unchanged");
  expect(store.apply(w({ expiresAt: 0 }), 3).row.expiresAt).toBe(0);
  expect(store.apply(w({ expiresAt: 99_999 }), 4).row.expiresAt).toBe(0);
});

test("offences count new bans across expiry, and survive reopening the file", () => {
  const { store, path } = fresh();
  store.apply(w({ expiresAt: 100 }), 0);
  expect(store.expired(200).map((r) => r.address)).toEqual(["198.51.100.7"]);
  store.deleteMany(["198.51.100.7"]);
  expect(store.apply(w({ expiresAt: 1_000 }), 300).row.offence).toBe(2);
  const again = new BanStore(openStore({ path, schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle") }));
  expect(again.offenceCount("198.51.100.7")).toBe(2);
  expect(again.active(400)).toHaveLength(1);
});

test("remove leaves a tombstone that only moves forward", () => {
  const { store } = fresh();
  store.apply(w({}), 0);
  expect(store.remove("198.51.100.7", 500, "op")?.address).toBe("198.51.100.7");
  store.remove("198.51.100.7", 100, "late");
  expect(store.tombstoneAt("198.51.100.7")).toBe(500);
  expect(store.get("198.51.100.7")).toBeUndefined();
});

test("a store written before the address words migrates: columns renamed, string evidence becomes items", async () => {
  const { Database } = await import("bun:sqlite");
  const { readFileSync } = await import("node:fs");
  const dir = mkdtempSync(join(tmpdir(), "hm-store-old-"));
  dirs.push(dir);
  const path = join(dir, "enforcerd.sqlite");
  const old = new Database(path, { create: true });
  // What 0000_init made, as drizzle's migrator records it, with one ban of the old shape.
  for (const stmt of readFileSync(join(import.meta.dir, "..", "..", "drizzle", "0000_init.sql"), "utf8").split("--> statement-breakpoint")) old.exec(stmt);
  old.exec(`CREATE TABLE "__drizzle_migrations" (id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)`);
  old.exec(`INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES ('init', 1795313277852)`);
  old.exec(`INSERT INTO bans VALUES ('198.51.100.9', 'ip', 2, 0, 1, 1, 'n', 'scand', 1, '["SCAN: ports 22,80,443 within 1.2 s"]')`);
  old.exec(`INSERT INTO tombstones VALUES ('198.51.100.10', 5, 'op')`);
  old.close();
  const store = new BanStore(openStore({ path, schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle") }));
  expect(store.get("198.51.100.9")).toMatchObject({ address: "198.51.100.9", kind: "ip", reasons: 2, evidence: [{ kind: "other", summary: "SCAN: ports 22,80,443 within 1.2 s" }] });
  expect(store.tombstoneAt("198.51.100.10")).toBe(5);
});

test("graded: verified upgrades an unverified ban and counts then; unverified never extends a verified ban nor counts", () => {
  const { store } = fresh();
  const u = { confidence: "unverified" as const, counts: false };
  expect(store.apply(w({ ...u, expiresAt: 600 }), 0)).toMatchObject({ change: "added", row: { confidence: "unverified", offence: 0 } });
  expect(store.offenceCount("198.51.100.7")).toBe(0);
  // Unverified on unverified: the usual merge (the later expiry wins), still no offence.
  expect(store.apply(w({ ...u, expiresAt: 700, reasons: 1 }), 1)).toMatchObject({ change: "extended", row: { confidence: "unverified", expiresAt: 700, reasons: 3, offence: 0 } });
  // Verified upgrades: full expiry, now an offence.
  expect(store.apply(w({ expiresAt: 86_400 }), 2)).toMatchObject({ change: "extended", row: { confidence: "verified", expiresAt: 86_400, offence: 1 } });
  expect(store.offenceCount("198.51.100.7")).toBe(1);
  // Unverified on verified: nothing changes, not even reasons.
  expect(store.apply(w({ ...u, expiresAt: 999_999, reasons: 16 }), 3)).toMatchObject({ change: "unchanged", row: { confidence: "verified", expiresAt: 86_400, reasons: 3 } });
  expect(store.get("198.51.100.7")!.confidence).toBe("verified");
  // What the prepared statements wrote reads back the same: merged evidence items, not JSON text.
  expect(store.get("198.51.100.7")).toMatchObject({ reasons: 3, expiresAt: 86_400, offence: 1, confidence: "verified", evidence: [{ kind: "scan", summary: "a" }] });
});
