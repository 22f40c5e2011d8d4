import type { Credential, TrapSession } from "@honeymesh/schema/trap";

/**
 * A batch body (`{"sessions":[…]}`, JSON in UTF-8) trapd may publish. The bus refuses messages
 * over 64 KiB (packages/bus verifier, `oversize`), and the body travels base64url inside a compact
 * JWS (RFC 7515 §7.1), so 64 KiB of message holds 48 KiB of claims; 2 KiB of those are left for
 * the JWS header, signature and the envelope's own claims (iss, iat, exp, jti, tp).
 */
export const MAX_BATCH_BYTES = 46 * 1024;
/** One session alone always fits a batch: `{"sessions":[` + `]}` is 15 bytes. */
export const MAX_SESSION_BYTES = MAX_BATCH_BYTES - 16;
/** Meta key marking a session trimmed to fit (value "bytes"). */
export const TRUNCATED = "truncated";
const MAX_META = 16;

/** Serialised size as the bus carries it: JSON, UTF-8 (a control byte is 6, "\u0001"; U+FFFD is 3). */
export const jsonBytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), "utf8");

const cutCred = (c: Credential, n: number): Credential => {
  const out: Credential = { method: c.method, username: c.username.slice(0, n) };
  if (c.password !== undefined) out.password = c.password.slice(0, n);
  if (c.key_fingerprint !== undefined) out.key_fingerprint = c.key_fingerprint;
  return out;
};

/**
 * An upper bound of jsonBytes(s) without serialising: a UTF-16 unit is at most 6 bytes in JSON
 * ("\u0001", a lone surrogate's "\udc00"; an astral pair is 4 bytes for 2 units); numbers,
 * addresses and ids are bounded by the schema (under 1 KiB together).
 */
function upperBound(s: TrapSession): number {
  let units = 0;
  for (const c of s.commands) units += c.length + 1;
  for (const [k, v] of Object.entries(s.meta)) units += k.length + v.length + 2;
  for (const c of s.credentials) units += c.username.length + (c.password?.length ?? 0) + (c.key_fingerprint?.length ?? 0) + 12;
  // The shell's capture: printable ASCII (capture.ts), numbers and hashes; counted the same way.
  let capture = (s.command_at?.length ?? 0) * 16 + (s.transcript?.length ?? 0) + 32;
  for (const u of s.indicators?.urls ?? []) capture += u.length + 3;
  for (const h of s.indicators?.hosts ?? []) capture += h.length + 3;
  for (const p of s.persistence ?? []) capture += p.path.length + p.detail.length + (p.key_fingerprint?.length ?? 0) + 64;
  for (const f of s.files ?? []) capture += f.name.length + 160;
  return 1024 + s.payload_b64.length + 6 * units + 6 * capture;
}

/**
 * The session within `max` serialised bytes, never dropped: fields are bounded in characters,
 * and a session of control bytes or multi-byte characters is several times larger in JSON.
 * Trimmed in the order of what scand needs least: commands (the last first), meta entries (the
 * largest first), then every credential's username and password shortened (their number, which
 * brute-force detection counts, is kept), then the payload sample. A trimmed session carries
 * meta.truncated = "bytes".
 */
export function fitSession(s: TrapSession, max = MAX_SESSION_BYTES): TrapSession {
  // Most sessions are a few hundred bytes: no serialisation for them on the hot path.
  if (upperBound(s) <= max) return s;
  let size = jsonBytes(s);
  if (size <= max) return s;
  const meta = { ...s.meta };
  if (!(TRUNCATED in meta) && Object.keys(meta).length >= MAX_META) {
    const largest = Object.keys(meta).sort((a, b) => jsonBytes(meta[b]) - jsonBytes(meta[a]))[0]!;
    delete meta[largest];
  }
  meta[TRUNCATED] = "bytes";
  const out: TrapSession = { ...s, meta, commands: [...s.commands], credentials: s.credentials };
  if (s.command_at) out.command_at = [...s.command_at];
  size = jsonBytes(out);

  // Per-item sizes are exact (an item and its comma), so each loop needs one final measurement.
  while (size > max && out.commands.length > 0) {
    size -= jsonBytes(out.commands.pop()) + 1;
    // command_at is parallel to commands: it shrinks with them.
    if (out.command_at?.length) size -= jsonBytes(out.command_at.pop()) + 1;
  }
  if (size > max) {
    const keys = Object.keys(meta).filter((k) => k !== TRUNCATED).sort((a, b) => jsonBytes(meta[b]) - jsonBytes(meta[a]));
    for (const k of keys) {
      if (size <= max) break;
      size -= jsonBytes(k) + jsonBytes(meta[k]) + 2;
      delete meta[k];
    }
    size = jsonBytes(out);
  }
  for (let n = 128; size > max && n >= 4; n >>= 1) {
    out.credentials = s.credentials.map((c) => cutCred(c, n));
    size = jsonBytes(out);
  }
  if (size > max) {
    // base64 in whole quanta of 4 characters (RFC 4648 §4) so the sample still decodes.
    const keep = Math.max(0, out.payload_b64.length - (size - max));
    out.payload_b64 = out.payload_b64.slice(0, keep - (keep % 4));
    size = jsonBytes(out);
  }
  while (size > max && out.credentials.length > 0) {
    out.credentials = out.credentials.slice(0, -1);
    size = jsonBytes(out);
  }
  return out;
}
