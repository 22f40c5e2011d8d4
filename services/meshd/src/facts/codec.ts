import { peerIdFromString } from "@libp2p/peer-id";
import { isEnvelope, isFact, type Envelope, type Fact } from "./fact.ts";

/** Domain separation: a fact signature can never be mistaken for any other libp2p signature. */
const DOMAIN = new TextEncoder().encode("honeymesh-fact/1\n");
const encoder = new TextEncoder();

function signed(f: string): Uint8Array {
  const body = encoder.encode(f);
  const out = new Uint8Array(DOMAIN.length + body.length);
  out.set(DOMAIN);
  out.set(body, DOMAIN.length);
  return out;
}

/** The origin's libp2p identity key (only its signing side is needed). */
export interface FactSigner {
  sign(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export interface SignedFact {
  fact: Fact;
  /** The envelope exactly as it travels (gossip and anti-entropy carry the same bytes). */
  wire: string;
}

/** Signs a fact with the origin's libp2p identity key. */
export async function sealFact(fact: Fact, key: FactSigner): Promise<SignedFact> {
  const f = JSON.stringify(fact);
  const sig = await key.sign(signed(f));
  const env: Envelope = { f, s: Buffer.from(sig).toString("base64") };
  return { fact, wire: JSON.stringify(env) };
}

export type OpenReject = "oversized" | "malformed" | "bad_signature";
export type Opened = { ok: true; fact: Fact; wire: string } | { ok: false; reason: OpenReject };

const verifiers = new Map<string, (data: Uint8Array, sig: Uint8Array) => boolean | Promise<boolean>>();

export function verifierOf(peer: string): ((data: Uint8Array, sig: Uint8Array) => boolean | Promise<boolean>) | undefined {
  let v = verifiers.get(peer);
  if (v) return v;
  try {
    const key = peerIdFromString(peer).publicKey;
    if (!key || key.type !== "Ed25519") return undefined;
    v = (data, sig) => key.verify(data, sig);
  } catch {
    return undefined;
  }
  // Bounded: parsing a peer id is cheap, the cache only spares it on the hot path.
  if (verifiers.size >= 4096) verifiers.delete(verifiers.keys().next().value!);
  verifiers.set(peer, v);
  return v;
}

/**
 * Parses and verifies one wire envelope: size, JSON shape, fact schema, and the origin's
 * Ed25519 signature (the public key is inlined in its peer id). Hostile input never throws.
 * Gossip pays this on top of gossipsub's own check on purpose: a fact is stored and served
 * to rejoining peers, so its envelope must be sound, or honest relays would be penalized.
 */
export async function openFact(bytes: Uint8Array | string, maxBytes: number): Promise<Opened> {
  const size = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > maxBytes) return { ok: false, reason: "oversized" };
  const wire = typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  let env: unknown;
  let fact: unknown;
  try {
    env = JSON.parse(wire);
    if (!isEnvelope(env)) return { ok: false, reason: "malformed" };
    fact = JSON.parse(env.f);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!isFact(fact)) return { ok: false, reason: "malformed" };
  const verify = verifierOf(fact.p);
  if (!verify) return { ok: false, reason: "bad_signature" };
  const sig = Buffer.from(env.s, "base64");
  if (sig.length !== 64) return { ok: false, reason: "bad_signature" };
  let good = false;
  try {
    good = await verify(signed(env.f), sig);
  } catch {
    good = false;
  }
  return good ? { ok: true, fact, wire } : { ok: false, reason: "bad_signature" };
}
