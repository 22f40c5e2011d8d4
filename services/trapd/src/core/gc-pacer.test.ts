import { expect, test } from "bun:test";
import { GcPacer } from "./gc-pacer.ts";

test("collects when RSS grew by the slack since the last collection, looking every N sessions", () => {
  let rss = 100;
  let runs = 0;
  const p = new GcPacer(2, 50, 1000, () => rss, () => {
    runs++;
    rss -= 30; // a collection frees some, not all
  });
  const at = (r: number) => {
    rss = r;
    p.note();
    p.note();
    return runs;
  };
  expect(at(140)).toBe(0); // grew 40 < 50
  expect(at(150)).toBe(1); // grew 50: collected, floor now 120
  expect(at(160)).toBe(1); // 160 < 120 + 50
  expect(at(175)).toBe(2);
  rss = 400;
  p.note(); // odd session: not looked at yet
  expect(runs).toBe(2);
  p.note();
  expect([runs, p.collections]).toEqual([3, 3]);
});

test("collects after `most` sessions even when RSS did not grow", () => {
  let runs = 0;
  const p = new GcPacer(4, 1 << 30, 12, () => 100, () => runs++);
  const seen: number[] = [];
  for (let i = 0; i < 30; i++) {
    p.note();
    seen.push(runs);
  }
  expect([seen[10], seen[11], seen[22], seen[23], seen[29]]).toEqual([0, 1, 1, 2, 2]);
});
