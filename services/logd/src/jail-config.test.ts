import { expect, test } from "bun:test";
import { durationSeconds } from "@honeymesh/config/duration";
import { ignoreMatcher } from "./jail-config.ts";

test("durations in Fail2Ban's short forms", () => {
  expect(durationSeconds(600)).toBe(600);
  expect(durationSeconds("10m")).toBe(600);
  expect(durationSeconds("1h")).toBe(3600);
  expect(durationSeconds("1d")).toBe(86400);
  expect(() => durationSeconds("soon")).toThrow(/soon/);
});

test("ignoreip matches addresses and prefixes of the same family only", () => {
  const ign = ignoreMatcher(["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"]);
  expect(ign("10.1.2.3")).toBe(true);
  expect(ign("11.0.0.1")).toBe(false);
  expect(ign("192.0.2.7")).toBe(true);
  expect(ign("192.0.2.8")).toBe(false);
  expect(ign("2001:db8:1::5")).toBe(true);
  expect(ign("2001:db9::5")).toBe(false);
  expect(() => ignoreMatcher(["example.org"])).toThrow(/example\.org/);
});
