import { parseAddress, type ParsedAddress } from "@honeymesh/net/address";
import { inside } from "@honeymesh/ban/allowlist";

/**
 * Networks a blocklist should not make a node drop: this network, private and shared address space,
 * loopback, link-local, multicast, reserved (RFC 6890 registries; RFC 1918, 6598, 3927, 4193,
 * 4291). Public lists such as FireHOL level1 carry them on purpose (bogons on an internet-facing
 * link), but on a node inside 10.0.0.0/8 such an entry would cut off its whole LAN.
 */
const V4: [net: number, shift: number][] = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 4], ["240.0.0.0", 4],
].map(([a, p]) => {
  const [b0, b1, b2, b3] = (a as string).split(".").map(Number) as [number, number, number, number];
  const shift = 32 - (p as number);
  return [(((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0) >>> shift, shift];
});
/** First octets that can start a special-purpose IPv4 address: one lookup settles most public ones. */
const FIRST = new Uint8Array(256);
for (const [net, shift] of V4) {
  const lo = (net << shift) >>> 24;
  const hi = (((net << shift) >>> 0) + 2 ** shift - 1) >>> 24;
  for (let o = lo; o <= hi; o++) FIRST[o] = 1;
}
// IPv4-mapped addresses need no entry: the address parser folds them to IPv4 first.
const V6: ParsedAddress[] = ["::/127", "fc00::/7", "fe80::/10", "ff00::/8"].map((t) => {
  const p = parseAddress(t);
  if (!p.ok) throw new Error(t);
  return p.value;
});
const V4_PREFIXES: ParsedAddress[] = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4"].map((t) => {
  const p = parseAddress(t);
  if (!p.ok) throw new Error(t);
  return p.value;
});

/** A plain IPv4 address (32-bit value) inside a special-purpose network. */
export function specialV4(v: number): boolean {
  if (FIRST[v >>> 24] === 0) return false;
  for (const [net, shift] of V4) if (v >>> shift === net) return true;
  return false;
}

/** An address or prefix (canonical text) inside a special-purpose network, or containing one. */
export function specialPurpose(text: string): boolean {
  const p = parseAddress(text);
  if (!p.ok) return false;
  for (const s of p.value.family === 4 ? V4_PREFIXES : V6) if (inside(p.value, s) || inside(s, p.value)) return true;
  return false;
}
