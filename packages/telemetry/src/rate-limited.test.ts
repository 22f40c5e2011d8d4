import { expect, test } from "bun:test";
import { RateLimitedGate } from "./rate-limited.ts";

test("one pass per cause per interval, counting the suppressed, bounded in causes", () => {
  const gate = new RateLimitedGate(1000, 2);
  expect(gate.pass("sig", 0)).toBe(0);
  expect(gate.pass("sig", 10)).toBeUndefined();
  expect(gate.pass("sig", 20)).toBeUndefined();
  expect(gate.pass("exp", 20)).toBe(0);
  expect(gate.pass("sig", 1001)).toBe(2);
  gate.pass("a", 1002);
  gate.pass("b", 1003);
  expect(gate.pass("exp", 1004)).toBe(0);
});
