/**
 * Text <-> kernel key encoding for IPv4/IPv6 addresses and CIDRs.
 * Strict on input: dotted-quad without leading zeros, RFC 4291 IPv6 text
 * (one "::", optional trailing dotted quad, no zone), no /0 prefixes and no
 * host bits past the prefix. IPv4-mapped IPv6 (::ffff:a.b.c.d) is folded to
 * IPv4 because the kernel sees such traffic as IPv4 packets.
 */

export type Family = 4 | 6;
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface IpAddr {
  family: Family;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export interface ParsedAddress extends IpAddr {
  /** 32 / 128 for a single address. */
  prefix: number;
  /** true when prefix is the full width (exact-ban maps); false for CIDR (LPM maps). */
  exact: boolean;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Hand-rolled (no split/regex): ban loads parse a million of these. */
export function parseIPv4(s: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // virtual trailing "."
    if (c === 46) {
      if (digits === 0 || part > 3) return undefined;
      out[part++] = value;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return undefined; // leading zero: octal or typo
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return part === 4 ? out : undefined;
}

function groups(s: string, allowV4Tail: boolean): number[] | undefined {
  if (s === "") return [];
  const parts = s.split(":");
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (allowV4Tail && i === parts.length - 1 && p.includes(".")) {
      const v4 = parseIPv4(p);
      if (!v4) return undefined;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (HEX_GROUP.test(p)) {
      out.push(parseInt(p, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

export function parseIPv6(s: string): Uint8Array | undefined {
  if (s.includes("%")) return undefined; // zones are meaningless for bans
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const head = groups(halves[0]!, false);
    const tail = groups(halves[1]!, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = groups(s, true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  }
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

function isV4Mapped(b: Uint8Array): boolean {
  return b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

export function parseIp(s: string): IpAddr | undefined {
  const v4 = parseIPv4(s);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIPv6(s);
  if (!v6) return undefined;
  return isV4Mapped(v6) ? { family: 4, bytes: v6.slice(12) } : { family: 6, bytes: v6 };
}

/** "1.2.3.4", "2001:db8::1", "10.0.0.0/8", "2001:db8::/32". /32 and /128 become exact. */
export function parseAddress(text: string): Parsed<ParsedAddress> {
  const s = text.trim();
  const slash = s.indexOf("/");
  const addrText = slash < 0 ? s : s.slice(0, slash);
  const v6Text = addrText.includes(":");
  const addr = parseIp(addrText);
  if (!addr) return { ok: false, reason: `"${text}" is not an IPv4 or IPv6 address` };
  const width = addr.family === 4 ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return { ok: false, reason: `"${text}" has an invalid prefix length` };
    prefix = Number(p);
    // An IPv4-mapped CIDR counts its prefix on the 128-bit form.
    if (addr.family === 4 && v6Text) prefix -= 96;
    if (prefix > width || prefix < 0) return { ok: false, reason: `"${text}" has a prefix outside 1..${width}` };
    if (prefix === 0) return { ok: false, reason: `"${text}" would match every address; /0 is refused` };
    if (!hostBitsClear(addr.bytes, prefix))
      return { ok: false, reason: `"${text}" has host bits set; did you mean ${formatCidr(addr.family, mask(addr.bytes, prefix), prefix)}?` };
  }
  return { ok: true, value: { ...addr, prefix, exact: prefix === width } };
}

export function mask(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - 8 * i));
    out[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return out;
}

function hostBitsClear(bytes: Uint8Array, prefix: number): boolean {
  const m = mask(bytes, prefix);
  return m.every((b, i) => b === bytes[i]);
}

/** Canonical text (RFC 5952 for IPv6: lowercase, longest zero run as "::"). */
export function formatIp(family: Family, b: Uint8Array): string {
  if (family === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const w = Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!);
  let best = -1;
  let bestLen = 1; // a single zero group is not compressed
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(":");
  return best < 0 ? hex(w) : `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}

export function formatCidr(family: Family, b: Uint8Array, prefix: number): string {
  return `${formatIp(family, b)}/${prefix}`;
}

export function formatAddress(t: ParsedAddress): string {
  return t.exact ? formatIp(t.family, t.bytes) : formatCidr(t.family, t.bytes, t.prefix);
}
