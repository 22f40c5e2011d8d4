import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import * as schema from "@honeymesh/tables/meshd";
import type { Fact } from "../facts/fact.ts";
import { FactTable, PeerBook } from "./peer-book.ts";

const P = "12D3KooWA9nqbBk5wb2J2PnBcpdmh3Px6AGxbnzRRNRpxSE7Ur3R";
const fact = (at: number): Fact => ({ v: 2, c: "x", k: "ban", address: { kind: "ip", text: "198.51.100.1" }, r: 2, ttl: 600, o: "n1", p: P, at, off: 1, ev: [] });

test("facts and peers upsert through their prepared statements and read back after a reopen", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-meshd-store-"));
  const open = () => openStore({ path: join(dir, "meshd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "../../drizzle") });
  try {
    const now = Date.now();
    let store = open();
    const table = new FactTable(store, "x");
    table.transaction(() => {
      table.put("b|p|198.51.100.1", { fact: fact(now), wire: "w1", keepUntil: now + 60_000 });
      table.put("b|p|198.51.100.1", { fact: fact(now + 1), wire: "w2", keepUntil: now + 60_000 });
      table.put("b|p|198.51.100.2", { fact: fact(now), wire: "w3", keepUntil: now - 1 });
    });
    expect(table.load(now).sort()).toEqual(["w2"]);
    const book = new PeerBook(store);
    book.seen(P, "x", { connected: true, address: "10.0.0.2", trust: "enforce" });
    book.count(P, "x", "msgsIn");
    book.count(P, "x", "rejected", "forged");
    book.flush();
    book.count(P, "x", "msgsIn");
    book.flush();
    store.close();
    store = open();
    const again = new PeerBook(store);
    expect(again.totals()).toMatchObject({ msgsIn: 2, rejected: 1 });
    expect(new FactTable(store, "x").load(now)).toEqual(["w2"]);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
