import { specialPurpose, specialV4 } from "@honeymesh/feeds/special-purpose";
import type { IpAddr } from "@honeymesh/net/address";

/**
 * Address space with no origin to name, whatever a database says (the shipped country data puts
 * 192.168.0.0/16 and 198.51.100.0/24 in AU): the special-purpose networks a feed skips (private,
 * loopback, link-local, multicast, reserved; packages/feeds), plus documentation (RFC 5737,
 * RFC 3849) and benchmarking (RFC 2544) space.
 */
const V4_EXTRA: [net: number, shift: number][] = [
  [0xc0000200 >>> 8, 8], // 192.0.2.0/24 TEST-NET-1
  [0xc6336400 >>> 8, 8], // 198.51.100.0/24 TEST-NET-2
  [0xcb007100 >>> 8, 8], // 203.0.113.0/24 TEST-NET-3
  [0xc6120000 >>> 17, 17], // 198.18.0.0/15 benchmarking
];

export function reserved(ip: IpAddr, text: string): boolean {
  const b = ip.bytes;
  if (ip.family === 4) {
    const v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    return specialV4(v) || V4_EXTRA.some(([net, shift]) => v >>> shift === net);
  }
  // 2001:db8::/32 documentation (RFC 3849).
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return true;
  return specialPurpose(text);
}
