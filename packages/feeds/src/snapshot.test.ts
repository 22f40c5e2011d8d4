import { expect, test } from "bun:test";
import { parseFeed } from "./parse.ts";
import { diffSnapshots, snapshotHas } from "./snapshot.ts";

const snap = (lines: string[]) => parseFeed("plain", lines.join("\n"), 100, true).entries;

test("the diff names what to add and what to remove, over numbers and text alike", () => {
  const a = snap(["192.0.2.1", "192.0.2.2", "10.0.0.0/8", "2001:db8::1", "255.255.255.255"]);
  const b = snap(["192.0.2.2", "192.0.2.3", "10.0.0.0/8", "2001:db8::2", "0.0.0.1"]);
  const d = diffSnapshots(a, b);
  expect(d.add.sort()).toEqual(["0.0.0.1", "192.0.2.3", "2001:db8::2"]);
  expect(d.remove.sort()).toEqual(["192.0.2.1", "2001:db8::1", "255.255.255.255"]);
  expect(diffSnapshots(b, b)).toEqual({ add: [], remove: [] });
});

test("snapshotHas finds both representations", () => {
  const s = snap(["192.0.2.1", "10.0.0.0/8"]);
  expect(snapshotHas(s, "192.0.2.1")).toBe(true);
  expect(snapshotHas(s, "192.0.2.9")).toBe(false);
  expect(snapshotHas(s, "10.0.0.0/8")).toBe(true);
});
