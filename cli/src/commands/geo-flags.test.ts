import { expect, test } from "bun:test";
import { geoCells, geoFlags } from "./geo-flags.ts";

test("--country is upper-cased and must be two letters; --asn takes 64496 or AS64496", () => {
  expect(geoFlags("de", "AS64496")).toEqual({ country: "DE", asn: "64496" });
  expect(geoFlags(undefined, "15169")).toEqual({ asn: "15169" });
  for (const c of ["DEU", "D", "1A", "", "D E"]) expect(() => geoFlags(c, undefined)).toThrow("--country");
  for (const a of ["0", "AS", "-1", "1.5", "4294967296", "0x10", "64496a", "0123"]) expect(() => geoFlags(undefined, a)).toThrow("--asn");
});

test("table cells: dashes when unknown, long organisations cut", () => {
  expect(geoCells({})).toEqual(["-", "-", "-"]);
  expect(geoCells({ country: "US", asn: 15169, org: "Google LLC" })).toEqual(["US", "AS15169", "Google LLC"]);
  expect(geoCells({ org: "x".repeat(40) })[2]).toHaveLength(24);
});
