import { Type, type Static } from "@sinclair/typebox";
import { formatAddress, parseAddress, type ParsedAddress } from "@honeymesh/net/address";

/**
 * The banned address (DESIGN §3): one address (`ip`) or one prefix (`cidr`), always in canonical
 * text (dotted quad; RFC 5952 IPv6; IPv4-mapped folded to IPv4; a full-width prefix is an `ip`).
 * The same shape on the bus, in the API, in exports, in the CLI and in the dashboard.
 */
export const BanAddress = Type.Object(
  {
    kind: Type.Union([Type.Literal("ip"), Type.Literal("cidr")]),
    text: Type.String({ minLength: 2, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type BanAddress = Static<typeof BanAddress>;
export type AddressKind = BanAddress["kind"];

export type Canonical = { ok: true; address: BanAddress; parsed: ParsedAddress } | { ok: false; code: "bad_address" | "kind_mismatch"; reason: string };

/** Text an operator, a peer or a log gave → the canonical address, or why it is not one. */
export function canonicalAddress(text: string): Canonical {
  const p = parseAddress(text);
  if (!p.ok) return { ok: false, code: "bad_address", reason: p.reason };
  return { ok: true, address: addressOf(p.value), parsed: p.value };
}

export function addressOf(parsed: ParsedAddress): BanAddress {
  return { kind: parsed.exact ? "ip" : "cidr", text: formatAddress(parsed) };
}

/** The canonical address whose kind must match what the sender claimed. */
export function checkAddress(a: BanAddress): Canonical {
  const c = canonicalAddress(a.text);
  if (!c.ok) return c;
  if (c.address.kind !== a.kind) return { ok: false, code: "kind_mismatch", reason: `${a.text} is not a${a.kind === "ip" ? "n address" : " prefix"}` };
  return c;
}
