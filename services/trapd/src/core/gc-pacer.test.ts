import { expect, test } from "bun:test";
import { GcPacer } from "./gc-pacer.ts";

test("collects once per `every` finished sessions, not before", () => {
  let runs = 0;
  const p = new GcPacer(3, () => runs++);
  const seen: number[] = [];
  for (let i = 0; i < 7; i++) {
    p.note();
    seen.push(runs);
  }
  expect(seen).toEqual([0, 0, 1, 1, 1, 2, 2]);
  expect(p.collections).toBe(2);
});
