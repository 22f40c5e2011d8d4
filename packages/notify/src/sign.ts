import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-honeymesh-signature";

/**
 * `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the time is signed with the body, so a
 * receiver can refuse old deliveries replayed at it (compare t with its clock).
 */
export function signBody(secret: string, body: string, nowS = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${nowS}.${body}`).digest("hex");
  return `t=${nowS},v1=${mac}`;
}

/** The receiver's side (tests, and an example for operators): constant-time compare, bounded age. */
export function verifySignature(secret: string, body: string, header: string, maxAgeS = 300, nowS = Math.floor(Date.now() / 1000)): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowS - t) > maxAgeS) return false;
  const want = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  const got = Buffer.from(m[2]!);
  return got.length === want.length && timingSafeEqual(got, want);
}
