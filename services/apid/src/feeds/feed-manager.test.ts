import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FrozenConfig } from "@honeymesh/config/schema";
import type { FeedResult, FeedUpdate } from "@honeymesh/schema/feed";
import { createLogger } from "@honeymesh/telemetry/logger";
import { formatV4 } from "@honeymesh/feeds/snapshot";
import { unpackV4 } from "@honeymesh/feeds/v4-pack";
import { FeedManager } from "./feed-manager.ts";
import { FeedResultWaiter } from "./feed-publisher.ts";
import { FeedStore } from "./feed-store.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const logger = createLogger("test", "error", () => {});

/** A manager whose "enforcerd" records every update and answers it at once. */
function setup(dir: string, feeds: Record<string, string[]>) {
  const cfg: Record<string, FrozenConfig["feeds"][string]> = {};
  for (const [name, lines] of Object.entries(feeds)) {
    const path = join(dir, `${name}.txt`);
    writeFileSync(path, lines.join("\n"));
    cfg[name] = { url: pathToFileURL(path).href, format: "plain", refresh: 3600, enabled: true, ban_private: false, max_entries: 100, max_bytes: 1 << 20, timeout_s: 5, headers: {} };
  }
  const updates: FeedUpdate[] = [];
  const results = new FeedResultWaiter();
  const publish = async (u: FeedUpdate) => {
    updates.push(u);
    if (u.last) {
      const r: FeedResult = { id: u.id, feed: u.feed, outcome: "applied", detail: "", added: 0, merged: 0, unchanged: 0, removed: 0, reduced: 0, refused_allowlisted: 0, refused_protected: 0, refused_bad_address: 0, refused_tombstoned: 0, kernel_rejected: 0, at: Date.now() };
      queueMicrotask(() => results.accept(r));
    }
  };
  const m = new FeedManager({ feeds: cfg as FrozenConfig["feeds"], store: new FeedStore(join(dir, "state")), publish, results, nodeId: "n1", logger, enforcerUp: () => true });
  return { m, updates, write: (name: string, lines: string[]) => writeFileSync(join(dir, `${name}.txt`), `${lines.join("\n")}\n`) };
}
const texts = (packed: string, plain: string[]) => [...unpackV4(packed)!].map(formatV4).concat(plain);
const sent = (us: FeedUpdate[], feed: string) => ({
  add: us.filter((u) => u.feed === feed).flatMap((u) => texts(u.add_v4, u.add)).sort(),
  remove: us.filter((u) => u.feed === feed).flatMap((u) => texts(u.remove_v4, u.remove)).sort(),
});

test("first refresh sends the list, the next only the diff; an address another feed lists is not removed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-feedmgr-"));
  dirs.push(dir);
  const { m, updates, write } = setup(dir, { a: ["192.0.2.1", "192.0.2.2", "198.18.0.0/15"], b: ["192.0.2.2"] });
  await m.refresh("a");
  await m.refresh("b");
  expect(sent(updates, "a")).toEqual({ add: ["192.0.2.1", "192.0.2.2", "198.18.0.0/15"], remove: [] });
  updates.length = 0;
  write("a", ["192.0.2.1", "192.0.2.3"]);
  await Bun.sleep(5); // a new mtime
  await m.refresh("a");
  // 192.0.2.2 left list a but b still lists it: it stays banned.
  expect(sent(updates, "a")).toEqual({ add: ["192.0.2.3"], remove: ["198.18.0.0/15"] });
  expect(m.list().find((f) => f.name === "a")).toMatchObject({ size: 2, last_error: null });
});

test("an unchanged source sends nothing; a broken one keeps the list in force and says why", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-feedmgr-"));
  dirs.push(dir);
  const { m, updates, write } = setup(dir, { a: ["192.0.2.1"] });
  await m.refresh("a");
  updates.length = 0;
  await m.refresh("a");
  expect(updates).toEqual([]);
  write("a", Array.from({ length: 101 }, (_, i) => `198.51.100.${i}`));
  await Bun.sleep(5);
  await m.refresh("a");
  expect(updates).toEqual([]);
  expect(m.list()[0]).toMatchObject({ size: 1 });
  expect(m.list()[0]!.last_error).toContain("max_entries");
});

test("after a restart the list in force comes from the state dir; a feed no longer configured is withdrawn", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-feedmgr-"));
  dirs.push(dir);
  const one = setup(dir, { a: ["192.0.2.1"], gone: ["203.0.113.5", "192.0.2.1"] });
  await one.m.refresh("a");
  await one.m.refresh("gone");
  one.m.stop();
  const two = setup(dir, { a: ["192.0.2.1"] });
  two.m.start();
  for (let i = 0; i < 100 && !two.updates.some((u) => u.feed === "gone"); i++) await Bun.sleep(10);
  await two.m.refresh("a");
  two.m.stop();
  // "gone" withdrew only what no configured feed lists; "a" re-read its file but had nothing new to send.
  expect(sent(two.updates, "gone")).toEqual({ add: [], remove: ["203.0.113.5"] });
  expect(sent(two.updates, "a")).toEqual({ add: [], remove: [] });
  expect(new FeedStore(join(dir, "state")).names()).toEqual(["a"]);
});
