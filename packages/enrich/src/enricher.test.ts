import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultFiles, Enricher } from "./enricher.ts";
import { hasFilter, matches } from "./filter.ts";

// The real databases this package ships (its npm dependencies), not fixtures.
const real = new Enricher(defaultFiles(join(import.meta.dir, "..", "..", "..")));
const tmp = mkdtempSync(join(tmpdir(), "hm-enrich-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test("before the databases are loaded a lookup says nothing and caches nothing; then it answers", async () => {
  const e = new Enricher(real.files);
  expect(e.lookup("8.8.8.8")).toBeUndefined();
  expect(e.status().counters.not_ready).toBe(1);
  await e.ready();
  expect(e.lookup("8.8.8.8")).toMatchObject({ asn: 15169 });
});

test("the shipped databases open, with every ASN row kept", async () => {
  expect(real.missing()).toEqual([]);
  await real.ready();
  const s = real.status();
  expect(s.problems).toEqual([]);
  expect(s.ranges.v4).toBeGreaterThan(100_000);
  expect(s.ranges.v6).toBeGreaterThan(10_000);
  expect(s.ranges.asns).toBeGreaterThan(10_000);
  expect(s.ranges.dropped).toBe(0);
});

test("well-known addresses: Google and Cloudflare resolvers, IPv4 and IPv6", () => {
  expect(real.lookup("8.8.8.8")).toEqual({ country: "US", asn: 15169, org: "Google LLC" });
  expect(real.lookup("2001:4860:4860::8888")).toEqual({ country: "US", asn: 15169, org: "Google LLC" });
  // A quoted organisation with a comma in it (RFC 4180 quoting in the CSV).
  expect(real.lookup("1.1.1.1")).toMatchObject({ asn: 13335, org: "Cloudflare, Inc." });
  // IPv4-mapped IPv6 is the IPv4 address (the database would not find it in its IPv6 tree).
  expect(real.lookup("::ffff:8.8.8.8")).toEqual(real.lookup("8.8.8.8"));
  // A prefix: its first address.
  expect(real.lookup("8.8.8.0/24")).toMatchObject({ asn: 15169 });
});

test("doubled quotes inside an organisation name come out as one", () => {
  // 35309568 = 2.26.200.0: `"LLC ""SPUTNIK"""` in asn-ipv4-num.csv
  expect(real.lookup("2.26.200.1")?.org).toBe('LLC "SPUTNIK"');
});

test("private, reserved, documentation and unrouted space: nothing known", () => {
  for (const a of ["10.0.0.1", "127.0.0.1", "192.168.1.1", "::1", "fe80::1", "fc00::1", "0.0.0.1", "100.64.0.1", "224.0.0.1", "192.168.0.0/16", "192.0.2.1", "198.51.100.61", "203.0.113.7", "198.19.0.1", "2001:db8::1"]) expect(real.lookup(a)).toBeUndefined();
});

test("hostile input is undefined and counted, never a throw", () => {
  const e = new Enricher(real.files);
  const bad: unknown[] = ["", "x".repeat(10_000), "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4/33", "::ffff:1.2.3.4%eth0", ":::", "1:2:3:4:5:6:7:8:9", "8.8.8.8 x", "\u0000", "😀", 42, null, undefined, {}, ["8.8.8.8"]];
  for (const b of bad) expect(e.lookup(b)).toBeUndefined();
  expect(e.status().counters.bad_input).toBe(bad.length);
  expect(e.status().loaded).toBe(false); // nothing was worth opening the databases for
});

test("answers are cached: a repeated lookup does not walk the tables again", async () => {
  const e = new Enricher(real.files, 2);
  await e.ready();
  e.lookup("8.8.8.8");
  e.lookup("8.8.8.8");
  e.lookup("10.0.0.1");
  e.lookup("10.0.0.1");
  expect(e.status().counters).toMatchObject({ lookups: 4, cache_hits: 2, found: 1 });
});

test("a missing database is a named problem; the other one still answers", async () => {
  const e = new Enricher({ ...real.files, asnV4: join(tmp, "nope.csv") });
  expect(e.missing()).toEqual([join(tmp, "nope.csv")]);
  await e.ready();
  expect(e.lookup("8.8.8.8")).toEqual({ country: "US" });
  expect(e.status().problems).toEqual([{ code: "ENRICH_DB_MISSING", detail: expect.stringContaining("nope.csv") }]);
});

test("a damaged database: rows that do not parse are dropped and counted, a bad mmdb is a problem", async () => {
  const v4 = join(tmp, "v4.csv");
  const v6 = join(tmp, "v6.csv");
  const mmdb = join(tmp, "bad.mmdb");
  writeFileSync(v4, ["16777216,16777471,13335,\"Cloudflare, Inc.\"", "garbage", "16777300,16777400,1,inside the previous", "9,8,7", "16778240,16779263,38803,Gtelecom Pty Ltd", "x".repeat(3 << 20)].join("\n"));
  writeFileSync(v6, "2a0b:1::,2a0b:1::ffff,64496,Doc\nzz::,1::,1,bad\n2a0b:1:1::,2a0b:1:1::ff\n");
  writeFileSync(mmdb, "not a maxmind db");
  const e = new Enricher({ country: mmdb, asnV4: v4, asnV6: v6 });
  await e.ready();
  expect(e.lookup("1.0.0.9")).toEqual({ asn: 13335, org: "Cloudflare, Inc." });
  expect(e.lookup("1.0.4.1")).toEqual({ asn: 38803, org: "Gtelecom Pty Ltd" });
  expect(e.lookup("1.0.2.1")).toBeUndefined();
  expect(e.lookup("2a0b:1::ff")).toEqual({ asn: 64496, org: "Doc" });
  const s = e.status();
  expect(s.ranges).toMatchObject({ v4: 2, v6: 1, dropped: 6 });
  expect(s.problems.map((p) => p.code)).toEqual(["ENRICH_DB_INVALID"]);
});

test("filters: country and ASN, both must match", () => {
  const g = { country: "US", asn: 15169, org: "Google LLC" };
  expect(hasFilter({})).toBe(false);
  expect(matches(g, { country: "US" })).toBe(true);
  expect(matches(g, { country: "DE" })).toBe(false);
  expect(matches(g, { country: "US", asn: 13335 })).toBe(false);
  expect(matches(undefined, { asn: 15169 })).toBe(false);
  expect(matches(undefined, {})).toBe(true);
});
