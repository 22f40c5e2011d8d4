import { beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { defaultFiles, Enricher } from "@honeymesh/enrich/enricher";
import { filteredPage, spliceEnrichment } from "./enrich-view.ts";

const enricher = new Enricher(defaultFiles(join(import.meta.dir, "..", "..", "..", "..")));
beforeAll(() => enricher.ready());
// Google (AS15169, US) and Cloudflare (AS13335) addresses interleaved with private ones.
const rows = ["1.1.1.1", "10.0.0.1", "8.8.4.4", "8.8.8.8", "10.0.0.2", "1.0.0.1", "8.8.8.9"];
const fetch = (after: number | undefined, n: number) => rows.map((a, i) => ({ i, a })).filter((r) => after === undefined || r.i > after).slice(0, n);

test("filtered pages: only matching rows, a cursor while more may match", () => {
  const p1 = filteredPage(fetch, (r) => r.i, (r) => r.a, enricher, { asn: 15169 }, undefined, 2);
  expect(p1.items.map((r) => r.a)).toEqual(["8.8.4.4", "8.8.8.8"]);
  expect(p1.next).toBe(3);
  const p2 = filteredPage(fetch, (r) => r.i, (r) => r.a, enricher, { asn: 15169 }, p1.next, 2);
  expect(p2.items.map((r) => r.a)).toEqual(["8.8.8.9"]);
  expect(p2.next).toBeUndefined();
});

test("a scan budget ends a page early with a cursor where it stopped", () => {
  const p = filteredPage(fetch, (r) => r.i, (r) => r.a, enricher, { country: "US", asn: 15169 }, undefined, 10, 2);
  expect(p.items).toEqual([]);
  expect(p.next).toBe(1);
});

test("enrichment members are spliced into row JSON", () => {
  expect(JSON.parse(spliceEnrichment('{"a":1}', { country: "US", asn: 15169, org: 'x "y"' }))).toEqual({ a: 1, country: "US", asn: 15169, org: 'x "y"' });
  expect(spliceEnrichment('{"a":1}', undefined)).toBe('{"a":1}');
});
