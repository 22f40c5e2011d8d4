import { expect, test } from "bun:test";
import type { Fact } from "../facts/fact.ts";
import { Outbox } from "./outbox.ts";

const fact = (i: number): Fact => ({ v: 2, c: "x", k: "ban", address: { kind: "ip", text: `198.51.100.${i}` }, r: 2, ttl: 60, o: "n1", p: "12D3KooWA9nqbBk5wb2J2PnBcpdmh3Px6AGxbnzRRNRpxSE7Ur3R", at: i, off: 1, ev: [] });

test("the first fact goes at once, the rest wait for the window; item and byte caps cut batches early, in order", async () => {
  const sent: number[][] = [];
  const box = new Outbox({ windowMs: 30, maxItems: 4, maxBytes: 4096, send: async (fs) => void sent.push(fs.map((f) => f.at)) });
  box.add(fact(0));
  expect(sent).toEqual([[0]]);
  for (let i = 1; i <= 6; i++) box.add(fact(i));
  expect(sent).toEqual([[0], [1, 2, 3, 4]]);
  await Bun.sleep(60);
  expect(sent).toEqual([[0], [1, 2, 3, 4], [5, 6]]);
  // Bytes: a fact is ~200 B as an item, with 320 B of frame; 1 200 B hold four.
  const small: number[][] = [];
  const tight = new Outbox({ windowMs: 1000, maxItems: 64, maxBytes: 1200, send: async (fs) => void small.push(fs.map((f) => f.at)) });
  for (let i = 0; i < 10; i++) tight.add(fact(i));
  tight.flush();
  expect(small.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const b of small) expect(320 + b.length * (JSON.stringify(JSON.stringify(fact(0))).length + 1)).toBeLessThanOrEqual(1200);
  expect(small.length).toBeGreaterThan(2);
});

test("paced: a burst of local facts leaves at the node's own rate, in order, none lost", async () => {
  const sent: { at: number; items: number[] }[] = [];
  const t0 = performance.now();
  const box = new Outbox({ windowMs: 10, maxItems: 8, maxBytes: 32_768, ratePerS: 100, burst: 10, send: async (fs) => void sent.push({ at: performance.now() - t0, items: fs.map((f) => f.at) }) });
  for (let i = 0; i < 40; i++) box.add(fact(i));
  // The burst allowance goes at once; the other 30 need ~300 ms at 100/s.
  expect(sent.flatMap((s) => s.items).length).toBeLessThanOrEqual(10);
  for (let i = 0; i < 250 && sent.flatMap((s) => s.items).length < 40; i++) await Bun.sleep(20);
  expect(sent.flatMap((s) => s.items)).toEqual([...Array(40).keys()]);
  for (const s of sent) expect(s.items.length).toBeLessThanOrEqual(8);
  // Never more than burst + rate × elapsed items by any send.
  let total = 0;
  for (const s of sent) {
    total += s.items.length;
    expect(total).toBeLessThanOrEqual(10 + (100 * s.at) / 1000 + 1);
  }
});

test("a bounded queue: beyond maxQueued the oldest facts are dropped and counted", () => {
  const sent: number[] = [];
  const box = new Outbox({ windowMs: 1000, maxItems: 64, maxBytes: 32_768, ratePerS: 1, burst: 1, maxQueued: 5, send: async (fs) => void sent.push(...fs.map((f) => f.at)) });
  for (let i = 0; i < 20; i++) box.add(fact(i));
  expect(sent).toEqual([0]);
  expect(box.size).toBe(5);
  expect(box.dropped).toBe(14);
  // At stop the pacing still holds: no budget left, so the five waiting are dropped and counted,
  // not burst past the peers' per-origin limit.
  expect(box.flush()).toBe(5);
  expect(sent).toEqual([0]);
  expect([box.size, box.dropped]).toEqual([0, 19]);
});

test("at stop, what the budget allows goes at once, without waiting for the window", () => {
  const sent: number[] = [];
  const box = new Outbox({ windowMs: 10_000, maxItems: 64, maxBytes: 32_768, ratePerS: 1, burst: 3, send: async (fs) => void sent.push(...fs.map((f) => f.at)) });
  for (let i = 0; i < 5; i++) box.add(fact(i));
  expect(sent).toEqual([0]);
  // Two tokens left after the first: two go, the other two are dropped.
  expect(box.flush()).toBe(2);
  expect(sent).toEqual([0, 1, 2]);
});
