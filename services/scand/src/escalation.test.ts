import { expect, test } from "bun:test";
import { banTtlS } from "./escalation.ts";

test("base × factor^n, capped, with bounded jitter", () => {
  expect([0, 1, 2, 3].map((n) => banTtlS(n, 600, 2, 3600))).toEqual([600, 1200, 2400, 3600]);
  expect(banTtlS(50, 600, 2, 3600)).toBe(3600);
  expect(banTtlS(0, 600, 2, 3600, 0.5, () => 1)).toBe(900);
  expect(banTtlS(0, 600, 2, 3600, 0.5, () => 0)).toBe(600);
  expect(banTtlS(3, 600, 2, 3600, 0.5, () => 1)).toBe(3600);
});
