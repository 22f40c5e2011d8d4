import { expect, test } from "bun:test";
import { syncProtected } from "./protect-sync.ts";

test("the kernel's protected set follows the protected set: missing entries added, stale ones removed", () => {
  const kernel = new Set(["192.0.2.53", "198.51.100.7"]);
  const k = {
    protectList: () => [...kernel],
    protectAdd: (t: string[]) => (t.forEach((x) => kernel.add(x)), { count: t.length, rejected: [] }),
    protectRemove: (t: string[]) => (t.forEach((x) => kernel.delete(x)), { count: t.length, rejected: [] }),
  };
  expect(syncProtected(k, [{ text: "192.0.2.53" }, { text: "2001:db8::53" }, { text: "203.0.113.0/24" }])).toBe(3);
  expect([...kernel].sort()).toEqual(["192.0.2.53", "2001:db8::53", "203.0.113.0/24"]);
  expect(syncProtected(k, [{ text: "192.0.2.53" }, { text: "2001:db8::53" }, { text: "203.0.113.0/24" }])).toBe(0);
});
