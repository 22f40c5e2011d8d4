import { expect, test } from "bun:test";
import { parseAddress, type ParsedAddress } from "@honeymesh/net/address";
import { AllowSet } from "./allowlist.ts";

const p = (s: string): ParsedAddress => {
  const r = parseAddress(s);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

test("covers: an address or prefix wholly inside an entry", () => {
  const a = new AllowSet();
  expect(a.add(["10.0.0.0/8", "2001:db8::/32", "nonsense"], "config")).toEqual([{ text: "nonsense", reason: expect.any(String) }]);
  expect(a.covers(p("10.1.2.3"))).toBe(true);
  expect(a.covers(p("10.1.0.0/16"))).toBe(true);
  expect(a.covers(p("11.0.0.1"))).toBe(false);
  expect(a.covers(p("0.0.0.0/4"))).toBe(false);
  expect(a.covers(p("2001:db8::1"))).toBe(true);
  expect(a.covers(p("2001:db9::1"))).toBe(false);
});

test("overlapping names entries a prefix would spare, with their source", () => {
  const a = new AllowSet();
  a.add(["192.0.2.5"], "operator");
  a.add(["127.0.0.0/8"], "system");
  expect(a.overlapping(p("192.0.2.0/24"))).toEqual([{ text: "192.0.2.5", source: "operator" }]);
  expect(a.overlapping(p("192.0.3.0/24"))).toEqual([]);
  expect(a.overlapping(p("127.0.0.1"))).toEqual([{ text: "127.0.0.0/8", source: "system" }]);
});

test("sources: a system entry keeps its source; replaceSource swaps only one source", () => {
  const a = new AllowSet();
  a.add(["127.0.0.0/8"], "system");
  a.add(["127.0.0.0/8"], "operator");
  expect(a.sourceOf("127.0.0.0/8")).toBe("system");
  a.replaceSource("peer", ["198.51.100.1"]);
  a.replaceSource("peer", ["198.51.100.2"]);
  expect(a.covers(p("198.51.100.1"))).toBe(false);
  expect(a.covers(p("198.51.100.2"))).toBe(true);
  expect(a.size).toBe(2);
});
