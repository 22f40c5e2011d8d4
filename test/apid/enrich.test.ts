// Country and ASN of bans and trap sessions, end to end: bans go through the real apid to the
// real enforcerd (its store), sessions are written by trapd's own store writer; apid enriches
// them from the databases shipped with packages/enrich and filters on ?country= and ?asn=; the
// real CLI shows the columns and takes --country / --asn. Expected values come from the same
// shipped databases read in this process, plus a few well-known facts (8.8.8.8 is Google's).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { defaultFiles, Enricher } from "@honeymesh/enrich/enricher";
import * as schema from "@honeymesh/tables/trapd";
import type { TrapSession } from "../../packages/schema/src/trap.ts";
import { SessionStore } from "../../services/trapd/src/store/session-store.ts";
import { ROOT } from "../support/bus-node.ts";
import { ApiNode } from "./harness.ts";

const db = new Enricher(defaultFiles(ROOT));
// Two Google addresses (one IPv6), Cloudflare, a German host, and a prefix ban.
const BANNED = ["8.8.8.8", "8.8.4.4", "1.1.1.1", "193.99.144.80", "2001:4860:4860::8888", "9.9.9.0/24"];
const SOURCES = ["8.8.8.8", "1.1.1.1", "193.99.144.80", "2001:4860:4860::8888", "10.0.0.5"];
const now = Date.now();
const session = (i: number, src: string): TrapSession => ({
  session_id: `geo-${String(i).padStart(6, "0")}`, service: "ssh", src, src_port: 40000 + i, dst: "192.0.2.1", dst_port: 2222, started_at: now - 10_000 + i, ended_at: now + i, bytes_in: 10, bytes_out: 20,
  credentials: [], payload_b64: "", entropy: 0, meta: {}, end_reason: "closed", commands: [],
});

let n: ApiNode;
beforeAll(async () => {
  await db.ready();
  n = await new ApiNode().start();
  const store = new SessionStore(openStore({ path: join(n.node.stateDir, "trapd.sqlite"), schema, migrationsFolder: join(ROOT, "services/trapd/drizzle") }));
  SOURCES.forEach((s, i) => store.add(session(i, s)));
  store.close();
  for (const address of BANNED) {
    const r = await n.req("POST", "/v1/bans", { body: { address, ttl_s: 3600 } });
    if (r.status !== 201) throw new Error(`ban ${address}: ${r.status} ${r.body}`);
  }
});
afterAll(() => n?.stop());

const addresses = (items: { address: { text: string } }[]) => items.map((b) => b.address.text).sort();
const expectBans = (pred: (a: string) => boolean) => BANNED.filter(pred).sort();

describe("apid enriches and filters by country and ASN", () => {
  test("the shipped database knows the well-known addresses this test relies on", () => {
    expect(db.lookup("8.8.8.8")).toEqual({ country: "US", asn: 15169, org: "Google LLC" });
    expect(db.lookup("2001:4860:4860::8888")).toMatchObject({ asn: 15169 });
    expect(db.lookup("193.99.144.80")?.country).toBe("DE");
  });

  test("every listed ban carries its address's country, asn and org (a prefix: its first address)", async () => {
    const r = await n.req("GET", "/v1/bans?limit=1000");
    expect(r.status).toBe(200);
    expect(addresses(r.json.items)).toEqual([...BANNED].sort());
    for (const b of r.json.items) {
      const e = db.lookup(b.address.text) ?? {};
      expect({ country: b.country, asn: b.asn, org: b.org }, b.address.text).toEqual({ country: e.country, asn: e.asn, org: e.org });
    }
    const one = await n.req("GET", "/v1/bans/8.8.8.8");
    expect(one.json).toMatchObject({ country: "US", asn: 15169, org: "Google LLC" });
  });

  test("?country= and ?asn= keep only matching bans; both together must both match", async () => {
    const us = await n.req("GET", "/v1/bans?country=US");
    expect(addresses(us.json.items)).toEqual(expectBans((a) => db.lookup(a)?.country === "US"));
    expect(us.json.items.length).toBeGreaterThanOrEqual(3);
    const de = await n.req("GET", "/v1/bans?country=DE");
    expect(addresses(de.json.items)).toEqual(["193.99.144.80"]);
    const google = await n.req("GET", "/v1/bans?asn=15169");
    expect(addresses(google.json.items)).toEqual(["2001:4860:4860::8888", "8.8.4.4", "8.8.8.8"]);
    const both = await n.req("GET", "/v1/bans?asn=15169&country=DE");
    expect(both.json.items).toEqual([]);
    expect(both.json.next_cursor).toBeNull();
  });

  test("filtered pages follow the cursor to the end", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await n.req("GET", `/v1/bans?asn=15169&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...r.json.items.map((b: { address: { text: string } }) => b.address.text));
      cursor = r.json.next_cursor;
    } while (cursor && ++pages < 10);
    expect(seen.sort()).toEqual(["2001:4860:4860::8888", "8.8.4.4", "8.8.8.8"]);
  });

  test("bad filters are 400 problems naming the field", async () => {
    for (const [q, field] of [["country=de", "country"], ["country=DEU", "country"], ["country=D1", "country"], ["asn=abc", "asn"], ["asn=0", "asn"], ["asn=1.5", "asn"], ["asn=4294967296", "asn"], ["asn=-3", "asn"]] as const) {
      for (const path of ["/v1/bans", "/v1/events"]) {
        const r = await n.req("GET", `${path}?${q}`);
        expect(r.status, `${path}?${q}`).toBe(400);
        expect(r.body, `${path}?${q}`).toContain(field);
      }
    }
  });

  test("trap sessions: enriched by source, filtered by ?country= and ?asn=, in /v1/events/{id} too", async () => {
    const all = await n.req("GET", "/v1/events");
    expect(all.json.items).toHaveLength(SOURCES.length);
    for (const s of all.json.items) {
      const e = db.lookup(s.src) ?? {};
      expect({ country: s.country, asn: s.asn, org: s.org }, s.src).toEqual({ country: e.country, asn: e.asn, org: e.org });
    }
    expect(all.json.items.find((s: { src: string }) => s.src === "10.0.0.5")).not.toHaveProperty("country");
    const google = await n.req("GET", "/v1/events?asn=15169");
    expect(google.json.items.map((s: { src: string }) => s.src).sort()).toEqual(["2001:4860:4860::8888", "8.8.8.8"]);
    const de = await n.req("GET", "/v1/events?country=DE&limit=1");
    expect(de.json.items.map((s: { src: string }) => s.src)).toEqual(["193.99.144.80"]);
    expect(de.json.next_cursor).toBeNull();
    const one = await n.req("GET", "/v1/events/geo-000000");
    expect(one.json).toMatchObject({ src: "8.8.8.8", country: "US", asn: 15169 });
  });

  test("explain: the address, its bans and its sessions carry the fields", async () => {
    const r = await n.req("GET", "/v1/explain/8.8.8.8");
    expect(r.json).toMatchObject({ country: "US", asn: 15169, org: "Google LLC" });
    expect(r.json.bans[0]).toMatchObject({ asn: 15169 });
    expect(r.json.sessions[0]).toMatchObject({ src: "8.8.8.8", asn: 15169 });
  });
});

test("GET /v1/status says the databases are loaded, with nothing missing, and counts the lookups", async () => {
  const s = (await n.req("GET", "/v1/status")).json.enrichment;
  expect(s).toMatchObject({ loaded: true, missing: [], problems: [] });
  expect(s.ranges.v4).toBeGreaterThan(100_000);
  expect(s.counters.found).toBeGreaterThan(0);
});

describe("the CLI: COUNTRY/ASN/ORG columns, --country and --asn", () => {
  test("honeymesh bans --country us: a table with the columns, only US addresses", async () => {
    const r = await n.cli(["bans", "--country", "us"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/ADDRESS\s+REASONS.*\s+COUNTRY\s+ASN\s+ORG/);
    expect(r.out).toMatch(/8\.8\.8\.8\s.*\sUS\s+AS15169\s+Google LLC/);
    expect(r.out).not.toContain("193.99.144.80");
  });

  test("honeymesh bans --asn AS15169 --json; events --country DE", async () => {
    const r = await n.cli(["bans", "--asn", "AS15169", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(addresses(JSON.parse(r.out))).toEqual(["2001:4860:4860::8888", "8.8.4.4", "8.8.8.8"]);
    const ev = await n.cli(["events", "--country", "DE"]);
    expect(ev.code, ev.err).toBe(0);
    expect(ev.out).toContain("193.99.144.80");
    expect(ev.out).not.toContain("8.8.8.8");
  });

  test("a bad --country or --asn is a usage error before any request", async () => {
    for (const args of [["bans", "--country", "Germany"], ["bans", "--asn", "x"], ["events", "--asn", "0"]]) {
      const r = await n.cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain(`--${args[1]!.slice(2)}`);
    }
  });
});
