import { canonicalAddress } from "@honeymesh/ban/address";

/**
 * `address=` on `GET /v1/events`: one address, canonical (RFC 5952 IPv6, IPv4-mapped folded to
 * IPv4) so `::ffff:203.0.113.7` and `203.0.113.7` find the same sessions, matched exactly against
 * the source trapd stored. A prefix or anything else is refused rather than read as "no session":
 * the dashboard's ban → sessions drill-down must not show an empty list for a typo. (`src=` stays
 * the raw string match it always was.)
 */
export function sessionAddress(text: string): { ok: true; src: string } | { ok: false; reason: string } {
  const c = canonicalAddress(text);
  if (!c.ok) return { ok: false, reason: c.reason };
  if (c.address.kind !== "ip") return { ok: false, reason: `${c.address.text} is a prefix; address takes one address` };
  return { ok: true, src: c.address.text };
}
