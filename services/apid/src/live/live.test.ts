import { describe, expect, test } from "bun:test";
import { BanWaiter } from "./ban-waiter.ts";
import { LiveFeed } from "./live-feed.ts";
import { Exposition, metricKey } from "./prometheus.ts";

const change = (value: string, at: number) => ({ change: "added" as const, value, reasons: 8, expires_at: 0, origin: "n", offence: 1, evidence: [], at });

describe("live state", () => {
  test("a waiter resolves on the matching change only, and times out to undefined", async () => {
    const w = new BanWaiter();
    const a = w.wait("198.51.100.1", (c) => c.at >= 10, 1000);
    w.accept(change("198.51.100.1", 5));
    w.accept(change("198.51.100.2", 20));
    w.accept(change("198.51.100.1", 20));
    expect((await a.promise)?.at).toBe(20);
    const b = w.wait("198.51.100.3", () => true, 20);
    expect(await b.promise).toBeUndefined();
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
