import { expect, test } from "bun:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { openFact, sealFact } from "./codec.ts";
import type { Fact } from "./fact.ts";

test("a sealed fact opens; a tampered, re-signed, oversized or malformed one does not", async () => {
  const key = await generateKeyPair("Ed25519");
  const other = await generateKeyPair("Ed25519");
  const fact: Fact = { v: 2, c: "x", k: "ban", address: { kind: "ip", text: "198.51.100.1" }, r: 2, ttl: 60, o: "n1", p: peerIdFromPrivateKey(key).toString(), at: 1, off: 1, ev: [] };
  const { wire } = await sealFact(fact, key);
  expect(await openFact(wire, 4096)).toMatchObject({ ok: true, fact });
  const env = JSON.parse(wire) as { f: string; s: string };
  expect(await openFact(JSON.stringify({ ...env, f: env.f.replace("198.51.100.1", "198.51.100.2") }), 4096)).toEqual({ ok: false, reason: "bad_signature" });
  expect(await openFact((await sealFact(fact, other)).wire, 4096)).toEqual({ ok: false, reason: "bad_signature" });
  expect(await openFact(wire, 100)).toEqual({ ok: false, reason: "oversized" });
  expect(await openFact("{nope", 4096)).toEqual({ ok: false, reason: "malformed" });
  expect(await openFact(JSON.stringify({ f: JSON.stringify({ ...fact, payload: "x" }), s: env.s }), 4096)).toEqual({ ok: false, reason: "malformed" });
});
