import { describe, expect, test } from "bun:test";
import { ResultWaiter } from "./result-waiter.ts";
import { LiveFeed } from "./live-feed.ts";
import { Exposition, metricKey } from "./prometheus.ts";


describe("live state", () => {
  test("a waiter resolves on the result with its id only, and times out to undefined", async () => {
    const w = new ResultWaiter();
    const result = (id: string, at: number) => ({ id, write: "decision" as const, outcome: "added" as const, detail: "", at });
    const a = w.wait("apid:1:1:1", 1000);
    w.accept(result("apid:2:2:2", 5));
    w.accept(result("apid:1:1:1", 20));
    w.accept(result("apid:1:1:1", 30));
    expect((await a)?.at).toBe(20);
    expect(w.size).toBe(0);
    expect(await w.wait("apid:3:3:3", 20)).toBeUndefined();
    expect(w.size).toBe(0);
  });

  test("the feed drops (and counts) events for a client that does not read", () => {
    const feed = new LiveFeed(2, 16);
    const s = feed.open(new Set());
    expect(s).toBeDefined();
    for (let i = 0; i < 100; i++) feed.publish("ban", { i });
    expect(feed.counters.get("dropped")).toBeGreaterThan(0);
    expect(feed.counters.get("sent")).toBeLessThanOrEqual(16);
    feed.open(new Set());
    expect(feed.open(new Set())).toBeUndefined();
    expect(feed.counters.get("refused")).toBe(1);
    feed.close();
  });

  test("Prometheus text: one HELP/TYPE per family, escaped labels, valid names", () => {
    const e = new Exposition();
    e.add("hm_x_total", "counter", "x", 1, { service: 'a"b\\c\nd' });
    e.add("hm_x_total", "counter", "x", 2, { service: "e" });
    e.add("hm_nan", "gauge", "skipped", Number.NaN);
    expect(e.text()).toBe('# HELP hm_x_total x\n# TYPE hm_x_total counter\nhm_x_total{service="a\\"b\\\\c\\nd"} 1\nhm_x_total{service="e"} 2\n');
    expect(metricKey("9-lives.x")).toBe("_9_lives_x");
  });
});
