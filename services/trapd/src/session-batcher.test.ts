import { expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import type { CryptoKey } from "jose";
import { KeyRing } from "@honeymesh/bus/key-ring";
import { ReplayCache } from "@honeymesh/bus/replay-cache";
import { Signer } from "@honeymesh/bus/signer";
import { verifyMessage } from "@honeymesh/bus/verifier";
import type { TrapSession } from "@honeymesh/schema/trap";
import { hostileRecord } from "./core/session-fit.fixture.ts";
import { SessionBatcher } from "./session-batcher.ts";

test("batches of the largest sessions, signed, pass the bus verifier (size and schema)", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  // A long identity and a trace context: the envelope at its largest.
  const kid = `trapd@${"n".repeat(64)}`;
  const signer = new Signer({ kid, identity: "trapd", key: undefined as unknown as CryptoKey, node: privateKey }, 60);
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "EdDSA" };
  const ring = new KeyRing(() => ({ keys: [jwk] }));
  const batches: TrapSession[][] = [];
  const b = new SessionBatcher((x) => batches.push(x), 60_000);
  const wide = (n: number, i: number) => (i % 2 ? "€" : "\u0001").repeat(n);
  for (let i = 0; i < 40; i++) b.add(hostileRecord(i % 2 ? undefined : wide).session());
  b.flush();
  expect(batches.length).toBeGreaterThan(1);
  expect(batches.flat()).toHaveLength(40);
  const replay = new ReplayCache();
  for (const batch of batches) {
    const jws = await signer.sign({ sessions: batch }, `00-${"a".repeat(32)}-${"b".repeat(16)}-01`);
    const r = await verifyMessage("hm/v1/trapd/session", new TextEncoder().encode(jws), ring, replay);
    expect(r.ok ? "ok" : r.reason).toBe("ok");
  }
});

test("a batch leaves when the next session would pass the byte budget", () => {
  const batches: TrapSession[][] = [];
  const b = new SessionBatcher((x) => batches.push(x), 60_000, 50_000);
  const s = hostileRecord().session();
  b.add(s);
  b.add(s);
  expect(batches).toHaveLength(1);
  b.flush();
  expect(batches).toHaveLength(2);
});
