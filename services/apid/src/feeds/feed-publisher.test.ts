import { expect, test } from "bun:test";
import { checker } from "@honeymesh/schema/check";
import { FeedUpdate } from "@honeymesh/schema/feed";
import { formatV4 } from "@honeymesh/feeds/snapshot";
import { unpackV4 } from "@honeymesh/feeds/v4-pack";
import { feedParts } from "./feed-publisher.ts";

test("parts: adds before removes, IPv4 packed, every part valid and small enough to sign under 64 KiB", () => {
  const add = Array.from({ length: 20_000 }, (_, i) => formatV4(0x08000000 + i)).concat(["2001:db8::/48", "198.51.100.0/24"]);
  const remove = Array.from({ length: 5000 }, (_, i) => formatV4(0x09000000 + i));
  const parts = feedParts("level1", "n1", 1, add, remove, "feed:test:1");
  expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => i));
  expect(parts.filter((p) => p.last).length).toBe(1);
  expect(parts.at(-1)!.last).toBe(true);
  const check = checker(FeedUpdate);
  const got = { add: [] as string[], remove: [] as string[] };
  let sawRemove = false;
  for (const p of parts) {
    expect(check.Check(p)).toBe(true);
    // The envelope's payload is base64url of this JSON (4/3) plus a few hundred bytes of claims.
    expect(Math.ceil((JSON.stringify(p).length * 4) / 3) + 600).toBeLessThan(64 * 1024);
    const a = [...unpackV4(p.add_v4)!].map(formatV4).concat(p.add);
    const r = [...unpackV4(p.remove_v4)!].map(formatV4).concat(p.remove);
    if (sawRemove) expect(a).toEqual([]); // no part after the first one with removes carries adds
    if (r.length) sawRemove = true;
    got.add.push(...a);
    got.remove.push(...r);
  }
  expect(got.add.sort()).toEqual([...add].sort());
  expect(got.remove.sort()).toEqual([...remove].sort());
});

test("an empty diff is one empty, last part", () => {
  expect(feedParts("a", "n1", 1, [], [], "feed:test:2")).toEqual([{ id: "feed:test:2", feed: "a", origin: "n1", part: 0, last: true, add: [], remove: [], add_v4: "", remove_v4: "", at: 1 }]);
});
