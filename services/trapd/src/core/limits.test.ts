import { expect, test } from "bun:test";
import { Admission } from "./limits.ts";

test("the per-source cap refuses the extra session of one source, not of another", () => {
  const a = new Admission(10, 2);
  expect(a.enter("198.51.100.1")).toBeUndefined();
  expect(a.enter("198.51.100.1")).toBeUndefined();
  expect(a.enter("198.51.100.1")).toBe("max_concurrent_per_source");
  expect(a.enter("198.51.100.2")).toBeUndefined();
  a.leave("198.51.100.1");
  expect(a.enter("198.51.100.1")).toBeUndefined();
  expect(a.active).toBe(3);
});

test("the global cap refuses everyone once full; leaving frees the slot and the source entry", () => {
  const a = new Admission(2, 5);
  expect(a.enter("a")).toBeUndefined();
  expect(a.enter("b")).toBeUndefined();
  expect(a.enter("c")).toBe("max_concurrent");
  a.leave("a");
  a.leave("b");
  a.leave("never-entered");
  expect(a.active).toBe(0);
  expect(a.sources).toBe(0);
});
