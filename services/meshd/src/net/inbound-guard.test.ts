import { expect, test } from "bun:test";
import { InboundGuard } from "./inbound-guard.ts";

test("a source gets perSource attempts per window; others are unaffected; the window frees them", () => {
  const g = new InboundGuard(4, 2_000, 3);
  expect([0, 1, 2, 3, 4, 5].map(() => g.deny("203.0.113.1", 0))).toEqual([false, false, false, false, true, true]);
  expect(g.deny("198.51.100.2", 10)).toBe(false);
  expect(g.deny("203.0.113.1", 2_001)).toBe(false);
  expect(g.refused).toBe(2);
  // Bounded: a fourth source pushes out the oldest.
  g.deny("a", 0);
  g.deny("b", 0);
  expect(g.deny("203.0.113.9", 0)).toBe(false);
});
