import { expect, test } from "bun:test";
import { parseTarget } from "./address.ts";
import { AllowSet } from "./allow-set.ts";

const t = (s: string) => {
  const p = parseTarget(s);
  if (!p.ok) throw new Error(p.reason);
  return p.value;
};

test("covers addresses and prefixes wholly inside an allowed prefix, nothing else", () => {
  const a = new AllowSet();
  expect(a.add(["10.1.0.0/16", "192.0.2.7", "2001:db8::/48", "bogus", "0.0.0.0/0"]).map((b) => b.text)).toEqual(["bogus", "0.0.0.0/0"]);
  expect(a.covers(t("10.1.2.3"))).toBe(true);
  expect(a.covers(t("10.1.128.0/17"))).toBe(true);
  expect(a.covers(t("10.0.0.0/8"))).toBe(false); // wider than the allowed prefix: the ban still applies to the rest
  expect(a.covers(t("10.2.0.1"))).toBe(false);
  expect(a.covers(t("192.0.2.7"))).toBe(true);
  expect(a.covers(t("192.0.2.8"))).toBe(false);
  expect(a.covers(t("2001:db8:0:1::5"))).toBe(true);
  expect(a.covers(t("2001:db9::5"))).toBe(false);
  expect(a.remove("192.0.2.7")).toBe(true);
  expect(a.covers(t("192.0.2.7"))).toBe(false);
});
