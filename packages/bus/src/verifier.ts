import { verify } from "node:crypto";
import { EnvelopeClaims } from "@honeymesh/schema/envelope";
import { checker } from "@honeymesh/schema/check";
import { KINDS, parseTopic, type Kind } from "@honeymesh/schema/topics";
import type { RejectReason } from "./counters.ts";
import type { KeyRing } from "./key-ring.ts";
import type { ReplayCache } from "./replay-cache.ts";

export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Clock skew tolerated between processes of one node (they share a clock; this covers rounding). */
const SKEW_S = 5;

/** The claims without the bodies: what every item of one message shares. */
export type Header = Omit<EnvelopeClaims, "d" | "b">;
/** One schema-valid body and the trace it continues. */
export type Item = { d: unknown; tp?: string };
/** `invalid`: items of a batch refused by the topic's schema (each counted; the rest are delivered). */
export type Verified = { ok: true; kind: Kind; producer: string; claims: Header; items: Item[]; invalid: number };
export type Rejected = { ok: false; reason: RejectReason; detail?: string };

const decoder = new TextDecoder();
const envelope = checker(EnvelopeClaims);
const isEnvelope = (v: unknown): v is EnvelopeClaims => envelope.Check(v);

/**
 * Checks, in order: topic shape, size, key id, signature, claims shape, issuer owns the topic,
 * expiry, body schema (each item of a batch on its own), replay (DESIGN §2). Never throws: hostile input returns a reason.
 */
export async function verifyMessage(topic: string, payload: Uint8Array, ring: KeyRing, replay: ReplayCache): Promise<Verified | Rejected> {
  const t = parseTopic(topic);
  if (!t) return { ok: false, reason: "topic" };
  if (payload.byteLength > MAX_MESSAGE_BYTES) return { ok: false, reason: "oversize" };
  const jws = decoder.decode(payload);
  const kid = kidOf(jws);
  if (kid === undefined) return { ok: false, reason: "malformed" };
  const key = await ring.get(kid);
  if (!key) return { ok: false, reason: "unknown_key", detail: kid.slice(0, 80) };
  // RFC 7515 §5.2: the signature covers ASCII(BASE64URL(header) || '.' || BASE64URL(payload)).
  const d1 = jws.indexOf(".");
  const d2 = jws.indexOf(".", d1 + 1);
  if (d2 < 0 || jws.indexOf(".", d2 + 1) >= 0) return { ok: false, reason: "malformed" };
  let good = false;
  try {
    good = verify(null, Buffer.from(jws.slice(0, d2)), key.node, Buffer.from(jws.slice(d2 + 1), "base64url"));
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: "signature" };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(jws.slice(d1 + 1, d2), "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!isEnvelope(claims)) return { ok: false, reason: "malformed" };
  if (kid.split("@")[0] !== claims.iss || claims.iss !== t.producer) return { ok: false, reason: "topic_owner" };
  const now = Math.floor(Date.now() / 1000);
  if (claims.exp < now) return { ok: false, reason: "expired" };
  if (claims.iat > now + SKEW_S) return { ok: false, reason: "not_yet_valid" };
  const schema = KINDS[t.kind as Kind];
  if (!schema) return { ok: false, reason: "unknown_kind", detail: t.kind.slice(0, 32) };
  // Exactly one of `d` (one body) and `b` (a batch) is present.
  if ((claims.d === undefined) === (claims.b === undefined)) return { ok: false, reason: "malformed" };
  const check = checker(schema);
  const { d, b, ...header } = claims;
  let items: Item[];
  let invalid = 0;
  if (b === undefined) {
    if (!check.Check(d)) return { ok: false, reason: "schema", detail: `${t.producer}/${t.kind}` };
    items = [header.tp === undefined ? { d } : { d, tp: header.tp }];
  } else {
    // One bad item is refused alone: the producer signed it, but its neighbours are still good.
    items = b.filter((i) => check.Check(i.d));
    invalid = b.length - items.length;
    if (items.length === 0) return { ok: false, reason: "schema", detail: `${t.producer}/${t.kind}` };
  }
  // Replay last: a message must be valid before its jti may occupy the cache.
  if (!replay.admit(claims.jti, claims.exp, now)) return { ok: false, reason: "replay" };
  return { ok: true, kind: t.kind as Kind, producer: t.producer, claims: header, items, invalid };
}

function kidOf(jws: string): string | undefined {
  const dot = jws.indexOf(".");
  if (dot <= 0 || dot > 512) return undefined;
  try {
    const header = JSON.parse(atob(jws.slice(0, dot).replaceAll("-", "+").replaceAll("_", "/"))) as { kid?: unknown; alg?: unknown };
    return header.alg === "EdDSA" && typeof header.kid === "string" && header.kid.length <= 128 ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
