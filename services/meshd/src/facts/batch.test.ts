import { expect, test } from "bun:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { openAny, openBatch, sealBatch } from "./batch.ts";
import { sealFact } from "./codec.ts";
import type { Fact } from "./fact.ts";

const key = await generateKeyPair("Ed25519");
const other = await generateKeyPair("Ed25519");
const P = peerIdFromPrivateKey(key).toString();
const fact = (i: number, over: Partial<Fact> = {}): Fact => ({ v: 2, c: "x", k: "ban", address: { kind: "ip", text: `198.51.100.${i}` }, r: 2, ttl: 60, o: "n1", p: P, at: 1 + i, off: 1, ev: [], ...over });

test("a batch opens once; each item has its id and stays verifiable alone; a tampered or foreign-signed batch does not open", async () => {
  const facts = Array.from({ length: 5 }, (_, i) => fact(i));
  const b = await sealBatch(facts, key);
  const o = await openBatch(b.message, 65536, 64);
  expect(o.ok).toBe(true);
  if (!o.ok) return;
  expect(o.items.map((x) => x.ok && x.fact)).toEqual(facts);
  expect(o.items.map((x) => x.id)).toEqual(facts.map((_, i) => `${b.id}.${i}`));
  // Items as stored and served by anti-entropy: each opens on its own, and only as itself.
  for (const [i, it] of b.items.entries()) expect(await openAny(it.wire, 4096)).toMatchObject({ ok: true, fact: facts[i] });
  const w = JSON.parse(b.items[2]!.wire) as { b: { i: number } };
  expect(await openAny(JSON.stringify({ ...w, b: { ...w.b, i: 3 } }), 4096)).toMatchObject({ ok: false });
  expect(await openAny(b.items[2]!.wire.replace("198.51.100.2", "198.51.100.9"), 4096)).toMatchObject({ ok: false });
  // The v1 single-fact envelope still opens the same way.
  expect(await openAny((await sealFact(facts[0]!, key)).wire, 4096)).toMatchObject({ ok: true, fact: facts[0] });

  expect(await openBatch(b.message.replace("198.51.100.3", "198.51.100.7"), 65536, 64)).toEqual({ ok: false, reason: "bad_signature" });
  const foreign = JSON.parse((await sealBatch(facts, other)).message) as Record<string, unknown>;
  expect(await openBatch(JSON.stringify({ ...foreign, p: P }), 65536, 64)).toEqual({ ok: false, reason: "bad_signature" });
  expect(await openBatch(b.message, 100, 64)).toEqual({ ok: false, reason: "oversized" });
  expect(await openBatch(b.message, 65536, 4)).toEqual({ ok: false, reason: "oversized" });
  expect(await openBatch("{nope", 65536, 64)).toEqual({ ok: false, reason: "malformed" });
  expect(await openBatch(JSON.stringify({ v: 1, c: "x", p: P, id: "a", f: [], s: "" }), 65536, 64)).toEqual({ ok: false, reason: "malformed" });
});

test("one bad item is refused alone: the others of the batch still open", async () => {
  const victim = peerIdFromPrivateKey(other).toString();
  const b = await sealBatch([fact(1), fact(2, { p: victim }), { ...fact(3), payload: "x" } as Fact, fact(4)], key);
  const o = await openBatch(b.message, 65536, 64);
  expect(o.ok).toBe(true);
  if (!o.ok) return;
  expect(o.items.map((x) => (x.ok ? "ok" : x.reason))).toEqual(["ok", "forged", "malformed", "ok"]);
});

test("one per-fact limit in both forms: an item the batch accepts opens again from the store; a larger one is refused at the batch", async () => {
  // A fact near the limit: its proof (batch id, index, siblings, signature, escaped quotes) is larger than the fact.
  const big = fact(1, { ev: Array.from({ length: 8 }, (_, i) => ({ kind: "scan" as const, ports: Array.from({ length: 16 }, (_, j) => 60_000 + i * 16 + j), count: 1_000_000 + i, window_s: 86_400 })) });
  const b = await sealBatch([big, ...Array.from({ length: 9 }, (_, i) => fact(i + 2))], key);
  const factBytes = Buffer.byteLength(JSON.stringify(big));
  const limit = factBytes + 10;
  const o = await openBatch(b.message, 65536, 64, limit);
  expect(o.ok && o.items[0]!.ok).toBe(true);
  expect(Buffer.byteLength(b.items[0]!.wire)).toBeGreaterThan(limit);
  // Served by anti-entropy under the same limit: it opens (the serving peer is not penalized).
  expect(await openAny(b.items[0]!.wire, limit)).toMatchObject({ ok: true, fact: big });
  // Over the per-fact limit: refused alone in the batch, and refused from a proof too.
  const tight = await openBatch(b.message, 65536, 64, factBytes - 10);
  expect(tight.ok && tight.items.map((i) => i.ok)).toEqual([false, ...Array(9).fill(true)]);
  expect(tight.ok && !tight.items[0]!.ok && tight.items[0]!.reason).toBe("oversized");
  expect(await openAny(b.items[0]!.wire, factBytes - 10)).toMatchObject({ ok: false, reason: "oversized" });
});
