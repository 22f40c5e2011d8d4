import { expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { ByteHistogram, shannonEntropy } from "./entropy.ts";

const enc = new TextEncoder();

test("the formula on known inputs", () => {
  expect(shannonEntropy(new Uint8Array(0))).toBe(0);
  expect(shannonEntropy(enc.encode("aaaaaaaa"))).toBe(0);
  expect(shannonEntropy(enc.encode("abababab"))).toBeCloseTo(1, 12);
  expect(shannonEntropy(enc.encode("abcd"))).toBeCloseTo(2, 12);
  // p = (1/2, 1/4, 1/4): H = 0.5·1 + 2·0.25·2 = 1.5
  expect(shannonEntropy(enc.encode("aabc"))).toBeCloseTo(1.5, 12);
  // Every byte value exactly once: 8 bits/byte.
  expect(shannonEntropy(Uint8Array.from({ length: 256 }, (_, i) => i))).toBeCloseTo(8, 12);
});

test("4 KiB of random bytes scores at least 7.9; English text at most 5", () => {
  expect(shannonEntropy(randomBytes(4096))).toBeGreaterThanOrEqual(7.9);
  const english =
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness, " +
    "it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, it was the season of Darkness.";
  const h = shannonEntropy(enc.encode(english));
  expect(h).toBeLessThanOrEqual(5);
  expect(h).toBeGreaterThan(3);
});

test("the running histogram equals the one-shot score, chunk by chunk", () => {
  const data = randomBytes(10_000);
  const h = new ByteHistogram();
  for (let i = 0; i < data.length; i += 777) h.add(data.subarray(i, i + 777));
  expect(h.size).toBe(10_000);
  expect(h.entropy()).toBeCloseTo(shannonEntropy(data), 12);
});
