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

test("the per-prefix cap (/24, /64) refuses a network's many addresses, not another network", () => {
  const a = new Admission(100, 2, 3);
  expect(a.enter("198.51.100.1")).toBeUndefined();
  expect(a.enter("198.51.100.2")).toBeUndefined();
  expect(a.enter("198.51.100.3")).toBeUndefined();
  expect(a.enter("198.51.100.4")).toBe("max_concurrent_per_prefix");
  expect(a.enter("198.51.101.4")).toBeUndefined();
  expect(a.enter("2001:db8:1:2::1")).toBeUndefined();
  expect(a.enter("2001:db8:1:2:ffff::9")).toBeUndefined();
  expect(a.enter("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBeUndefined();
  expect(a.enter("2001:db8:1:2::77")).toBe("max_concurrent_per_prefix");
  expect(a.enter("2001:db8:1:3::77")).toBeUndefined();
  a.leave("198.51.100.2");
  expect(a.enter("198.51.100.4")).toBeUndefined();
});

test("at the global cap the victim is the heaviest source of the heaviest prefix, never for a newcomer as heavy", () => {
  const a = new Admission(6, 3, 4);
  for (const s of ["192.0.2.1", "192.0.2.1", "192.0.2.1", "192.0.2.2", "198.51.100.1", "203.0.113.1"]) expect(a.enter(s)).toBeUndefined();
  expect(a.enter("2001:db8::1")).toBe("max_concurrent");
  // 192.0.2.0/24 holds 4: its heaviest source gives up a slot for a newcomer holding none.
  expect(a.victim("2001:db8::1")).toBe("192.0.2.1");
  a.leave("192.0.2.1");
  expect(a.enter("2001:db8::1")).toBeUndefined();
  // A source of the heaviest prefix itself is not given another's slot.
  expect(a.enter("192.0.2.9")).toBe("max_concurrent");
  expect(a.victim("192.0.2.9")).toBeUndefined();
  expect(a.held("192.0.2.1")).toBe(2);
  expect(a.active).toBe(6);
});
