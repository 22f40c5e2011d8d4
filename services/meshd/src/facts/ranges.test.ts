import { expect, test } from "bun:test";
import { differing, RANGES, rangeDigests, rangeOf } from "./ranges.ts";

test("one changed key differs in exactly its range; malformed digests from a peer mean every range", () => {
  const keys = Array.from({ length: 500 }, (_, i): [string, number] => [`b|peer|198.51.${i >> 8}.${i & 255}`, 1000 + i]);
  const a = rangeDigests(keys);
  expect(a).toHaveLength(RANGES);
  expect(differing(a, rangeDigests([...keys].reverse())).size).toBe(0);
  const changed = keys.map(([k, at], i): [string, number] => [k, i === 7 ? at + 1 : at]);
  expect([...differing(a, rangeDigests(changed))]).toEqual([rangeOf(keys[7]![0])]);
  expect([...differing(a, rangeDigests(keys.slice(1)))]).toEqual([rangeOf(keys[0]![0])]);
  for (const bad of [undefined, "x", [], a.slice(1), [...a.slice(1), 5], [...a.slice(1), "x".repeat(13)]]) expect(differing(a, bad).size).toBe(RANGES);
});
