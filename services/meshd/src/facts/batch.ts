import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { openFact, verifierOf, type FactSigner, type Opened, type SignedFact } from "./codec.ts";
import { isFact, type Fact } from "./fact.ts";
import { leafHash, merkleLevels, merkleProof, rootFromProof } from "./merkle.ts";

/**
 * Mesh wire v2: facts travel in signed batches on `/honeymesh/<cluster>/decisions/2`. One Ed25519
 * signature covers a hash tree over the items' exact JSON texts, so the cost per decision falls
 * with load. Each item keeps its own id (`<batch id>.<index>`) and is judged on its own by the
 * receiver (every per-fact rule of policy/admit.ts holds per item). For storage and
 * anti-entropy an item travels alone as a "proof envelope": its text, the batch signature and
 * its log2(n) sibling hashes.
 */
const DOMAIN = "honeymesh-batch/1\n";
const ID = "^[A-Za-z0-9._-]{1,40}$";
const B64 = Type.String({ maxLength: 100 });

export const BatchMessage = Type.Object(
  {
    v: Type.Literal(1),
    c: Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" }),
    p: Type.String({ minLength: 32, maxLength: 64, pattern: "^[1-9A-HJ-NP-Za-km-z]+$" }),
    id: Type.String({ pattern: ID }),
    /** The items: each a fact's exact JSON text. */
    f: Type.Array(Type.String({ maxLength: 8192 }), { minItems: 1, maxItems: 1024 }),
    s: B64,
  },
  { additionalProperties: false },
);
export type BatchMessage = Static<typeof BatchMessage>;

/** One item of a batch on its own: `b` names the batch and carries the item's proof. */
export const ProofEnvelope = Type.Object(
  {
    b: Type.Object({ id: Type.String({ pattern: ID }), i: Type.Integer({ minimum: 0 }), n: Type.Integer({ minimum: 1, maximum: 1024 }), m: Type.Array(B64, { maxItems: 10 }) }, { additionalProperties: false }),
    f: Type.String({ maxLength: 8192 }),
    s: B64,
  },
  { additionalProperties: false },
);
export type ProofEnvelope = Static<typeof ProofEnvelope>;

function signedBytes(c: string, p: string, id: string, n: number, root: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${DOMAIN}${c}\n${p}\n${id}\n${n}\n`), root]);
}

let seq = 0;
const prefix = Math.floor(Math.random() * 36 ** 4).toString(36);

/** Signs `facts` (all of one origin and cluster) as one batch; returns the message and each item as stored. */
export async function sealBatch(facts: readonly Fact[], key: FactSigner): Promise<{ message: string; id: string; items: SignedFact[] }> {
  const { c, p } = facts[0]!;
  const id = `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
  const texts = facts.map((f) => JSON.stringify(f));
  const leaves = texts.map(leafHash);
  const levels = merkleLevels(leaves);
  const s = Buffer.from(await key.sign(signedBytes(c, p, id, texts.length, levels.at(-1)![0]!))).toString("base64");
  const message = JSON.stringify({ v: 1, c, p, id, f: texts, s } satisfies BatchMessage);
  const items = facts.map((fact, i) => ({ fact, wire: proofWire(id, i, leaves, levels, texts[i]!, s) }));
  return { message, id, items };
}

function proofWire(id: string, i: number, leaves: readonly Buffer[], levels: Buffer[][], text: string, s: string): string {
  const m = merkleProof(leaves, i, levels).map((h) => h.toString("base64"));
  return JSON.stringify({ b: { id, i, n: leaves.length, m }, f: text, s } satisfies ProofEnvelope);
}

export type BatchReject = "oversized" | "malformed" | "bad_signature";
export type ItemOpened = { ok: true; id: string; fact: Fact; wire: string } | { ok: false; id: string; reason: "malformed" | "forged" | "oversized" };
export type OpenedBatch = { ok: true; c: string; p: string; id: string; items: ItemOpened[] } | { ok: false; reason: BatchReject };

const decoder = new TextDecoder("utf-8", { fatal: false });

async function verifies(p: string, data: Buffer, s: string): Promise<boolean> {
  const verify = verifierOf(p);
  const sig = Buffer.from(s, "base64");
  if (!verify || sig.length !== 64) return false;
  try {
    return await verify(data, sig);
  } catch {
    return false;
  }
}

/**
 * Opens a batch message: byte cap, item cap, shape, and the one signature (by the batch's
 * origin `p`). A fault there is the whole message's; after it each item is parsed on its own,
 * and an item that is not a fact, or names another origin than the signer, is refused alone.
 */
export async function openBatch(bytes: Uint8Array | string, maxBytes: number, maxItems: number, maxFactBytes = Number.POSITIVE_INFINITY): Promise<OpenedBatch> {
  const size = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > maxBytes) return { ok: false, reason: "oversized" };
  let msg: unknown;
  try {
    msg = JSON.parse(typeof bytes === "string" ? bytes : decoder.decode(bytes));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!Value.Check(BatchMessage, msg)) return { ok: false, reason: "malformed" };
  if (msg.f.length > maxItems) return { ok: false, reason: "oversized" };
  const leaves = msg.f.map(leafHash);
  const levels = merkleLevels(leaves);
  if (!(await verifies(msg.p, signedBytes(msg.c, msg.p, msg.id, leaves.length, levels.at(-1)![0]!), msg.s))) return { ok: false, reason: "bad_signature" };
  const items = msg.f.map((text, i): ItemOpened => {
    const id = `${msg.id}.${i}`;
    // The same per-fact limit as a single fact's ([mesh] max_message_bytes): an item accepted here
    // must open again from the store, where anti-entropy checks it (openProof).
    if (Buffer.byteLength(text) > maxFactBytes) return { ok: false, id, reason: "oversized" };
    let fact: unknown;
    try {
      fact = JSON.parse(text);
    } catch {
      return { ok: false, id, reason: "malformed" };
    }
    if (!isFact(fact)) return { ok: false, id, reason: "malformed" };
    if (fact.p !== msg.p || fact.c !== msg.c) return { ok: false, id, reason: "forged" };
    return { ok: true, id, fact, wire: proofWire(msg.id, i, leaves, levels, text, msg.s) };
  });
  return { ok: true, c: msg.c, p: msg.p, id: msg.id, items };
}

/** Roots whose signature checked out: anti-entropy replays a batch's items, one verify does them all. */
const verified = new Map<string, true>();

/**
 * What an item's proof adds around its fact: batch id (≤ 40), index and count, ≤ 10 sibling
 * hashes of ≤ 100 characters, the signature (≤ 100), keys and quoting (the fact's own quotes escaped).
 */
const PROOF_OVERHEAD = 2_048;

/**
 * Opens one item on its own (anti-entropy, or this node's store at start). `maxBytes` bounds the
 * fact, as for a single fact; the proof around it is allowed its own bounded size on top.
 */
export async function openProof(wire: string, maxBytes: number): Promise<Opened> {
  if (Buffer.byteLength(wire) > maxBytes * 2 + PROOF_OVERHEAD) return { ok: false, reason: "oversized" };
  let env: unknown;
  let fact: unknown;
  try {
    env = JSON.parse(wire);
    if (!Value.Check(ProofEnvelope, env)) return { ok: false, reason: "malformed" };
    if (Buffer.byteLength(env.f) > maxBytes) return { ok: false, reason: "oversized" };
    fact = JSON.parse(env.f);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!isFact(fact)) return { ok: false, reason: "malformed" };
  const root = rootFromProof(leafHash(env.f), env.b.i, env.b.n, env.b.m.map((h) => Buffer.from(h, "base64")));
  if (!root) return { ok: false, reason: "bad_signature" };
  const key = `${fact.p}|${env.b.id}|${env.b.n}|${root.toString("base64")}|${env.s}`;
  if (!verified.has(key)) {
    if (!(await verifies(fact.p, signedBytes(fact.c, fact.p, env.b.id, env.b.n, root), env.s))) return { ok: false, reason: "bad_signature" };
    if (verified.size >= 1024) verified.delete(verified.keys().next().value!);
    verified.set(key, true);
  }
  return { ok: true, fact, wire };
}

/** True for an item's proof envelope (v2); false for a v1 single-fact envelope. */
export const isProofWire = (wire: string) => wire.startsWith('{"b":');

/** Either wire form, as anti-entropy and the store carry them. */
export function openAny(bytes: Uint8Array | string, maxBytes: number): Promise<Opened> {
  const wire = typeof bytes === "string" ? bytes : decoder.decode(bytes);
  return isProofWire(wire) ? openProof(wire, maxBytes) : openFact(wire, maxBytes);
}
