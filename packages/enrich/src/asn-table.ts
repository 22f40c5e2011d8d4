import type { IpAddr } from "@honeymesh/net/address";
import { forEachLine } from "./csv-lines.ts";

export interface AsnHit {
  asn: number;
  org: string;
}

/** Organisation names are cut here: they go into API answers and table columns. */
const ORG_MAX = 128;

/** Rows of inclusive ranges, `w` 32-bit words per bound (1 for IPv4, 4 for IPv6), in start order. */
class Ranges {
  starts: Uint32Array;
  ends: Uint32Array;
  idx: Uint32Array;
  n = 0;

  constructor(readonly w: number, cap: number) {
    this.starts = new Uint32Array(cap * w);
    this.ends = new Uint32Array(cap * w);
    this.idx = new Uint32Array(cap);
  }

  /** Appends a range; one that starts inside the previous one is clipped, or dropped if inside it. */
  push(start: Uint32Array, end: Uint32Array, asnIndex: number): boolean {
    const w = this.w;
    if (this.n > 0) {
      const prevEnd = this.ends.subarray((this.n - 1) * w, this.n * w);
      if (cmp(start, 0, prevEnd, 0, w) <= 0) {
        if (cmp(end, 0, prevEnd, 0, w) <= 0) return false;
        start = increment(prevEnd);
      }
    }
    if (cmp(start, 0, end, 0, w) > 0) return false;
    if (this.n === this.idx.length) this.grow();
    this.starts.set(start, this.n * w);
    this.ends.set(end, this.n * w);
    this.idx[this.n++] = asnIndex;
    return true;
  }

  private grow(): void {
    const cap = Math.max(16, this.idx.length * 2);
    const s = new Uint32Array(cap * this.w);
    const e = new Uint32Array(cap * this.w);
    const i = new Uint32Array(cap);
    s.set(this.starts), e.set(this.ends), i.set(this.idx);
    [this.starts, this.ends, this.idx] = [s, e, i];
  }

  /** Drops the spare capacity once loading is done. */
  trim(): void {
    if (this.n === this.idx.length) return;
    this.starts = this.starts.slice(0, this.n * this.w);
    this.ends = this.ends.slice(0, this.n * this.w);
    this.idx = this.idx.slice(0, this.n);
  }

  /** The row whose range holds `key`, or -1: binary search for the last start <= key. */
  find(key: Uint32Array): number {
    const w = this.w;
    let lo = 0;
    let hi = this.n - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(this.starts, mid * w, key, 0, w) <= 0) (at = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    return at >= 0 && cmp(this.ends, at * w, key, 0, w) >= 0 ? at : -1;
  }
}

function cmp(a: Uint32Array, ao: number, b: Uint32Array, bo: number, w: number): number {
  for (let i = 0; i < w; i++) {
    const x = a[ao + i]!;
    const y = b[bo + i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function increment(v: Uint32Array): Uint32Array {
  const out = v.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = (out[i]! + 1) >>> 0;
    if (out[i] !== 0) break;
  }
  return out;
}

function words(bytes: Uint8Array, out: Uint32Array): Uint32Array {
  for (let i = 0; i < out.length; i++) out[i] = ((bytes[4 * i]! << 24) | (bytes[4 * i + 1]! << 16) | (bytes[4 * i + 2]! << 8) | bytes[4 * i + 3]!) >>> 0;
  return out;
}

/** A decimal field up to the next comma: [value, index after the comma], or undefined. */
function uint(buf: Buffer, i: number, end: number): [number, number] | undefined {
  let v = 0;
  const from = i;
  for (; i < end && buf[i] !== 44; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return i === from || i - from > 10 || v > 0xffffffff ? undefined : [v, i + 1];
}

/**
 * The last field's bytes, CSV-unquoted (RFC 4180: "" inside quotes is one "), into `out` at `at`,
 * at most ORG_MAX bytes and never ending inside a UTF-8 sequence. Returns the length written.
 */
function orgBytes(buf: Buffer, i: number, end: number, out: Uint8Array, at: number): number {
  const quoted = buf[i] === 34 && end - i >= 2 && buf[end - 1] === 34;
  if (quoted) i++, end--;
  let n = 0;
  for (; i < end && n < ORG_MAX; i++) {
    out[at + n++] = buf[i]!;
    if (quoted && buf[i] === 34 && buf[i + 1] === 34) i++;
  }
  // Cut inside a multi-byte character: drop its bytes written so far (continuations and lead).
  if (i < end && (buf[i]! & 0xc0) === 0x80) {
    while (n > 0 && (out[at + n - 1]! & 0xc0) === 0x80) n--;
    if (n > 0) n--;
  }
  return n;
}

/** Counts lines, so the tables are allocated once at their final size (no growth garbage). */
async function countLines(path: string): Promise<number> {
  return (await forEachLine(path, () => {})).lines;
}

/** IPv6 text as the CSV has it (RFC 5952 or any RFC 4291 form without a dotted tail) into 4 words, no strings made. */
function v6Words(buf: Buffer, s: number, e: number, out: Uint32Array): boolean {
  const g = new Array<number>(8);
  let n = 0;
  let gap = -1;
  let i = s;
  if (e - s >= 2 && buf[s] === 58 && buf[s + 1] === 58) (gap = 0), (i = s + 2);
  while (i < e) {
    let v = 0;
    let d = 0;
    for (; i < e && d < 5; i++, d++) {
      const c = buf[i]!;
      const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (h < 0) break;
      v = (v << 4) | h;
    }
    if (d === 0 || d > 4 || n === 8) return false;
    g[n++] = v;
    if (i === e) break;
    if (buf[i] !== 58) return false;
    i++;
    if (i < e && buf[i] === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    } else if (i === e) return false;
  }
  if (gap < 0 ? n !== 8 : n > 7) return false;
  const w = new Array<number>(8).fill(0);
  for (let k = 0; k < n; k++) w[gap >= 0 && k >= gap ? 8 - (n - k) : k] = g[k]!;
  for (let k = 0; k < 4; k++) out[k] = ((w[2 * k]! << 16) | w[2 * k + 1]!) >>> 0;
  return true;
}

/** The first `count` commas of a line, or undefined. */
function commas(buf: Buffer, s: number, e: number, count: number): number[] | undefined {
  const at: number[] = [];
  for (let i = s; i < e && at.length < count; i++) if (buf[i] === 44) at.push(i);
  return at.length === count ? at : undefined;
}

/**
 * Address ranges to autonomous system number and organisation, loaded from the CSV files of
 * `@ip-location-db/asn` (RouteViews, the RIRs' delegations and DB-IP; CC BY 4.0) into typed
 * arrays: IPv4 from `asn-ipv4-num.csv` (start,end as integers), IPv6 from `asn-ipv6.csv` (text).
 * Memory is the point (the node's footprint goal): rows are typed arrays sized by a first pass,
 * each organisation name is stored once per ASN as UTF-8 in one byte array (no Map, no string per
 * row), and is decoded only when a lookup returns it.
 */
export class AsnTable {
  private v4 = new Ranges(1, 0);
  private v6 = new Ranges(4, 0);
  /** Distinct ASNs, sorted; an ASN's index here is its organisation's index. */
  private asns = new Uint32Array(0);
  private orgOff = new Uint32Array(0);
  private orgLen = new Uint16Array(0);
  private orgBytes = new Uint8Array(0);
  private readonly decoder = new TextDecoder();
  /** Rows that did not parse or lay inside the previous one. */
  dropped = 0;
  private readonly key4 = new Uint32Array(1);
  private readonly key6 = new Uint32Array(4);

  static async load(v4NumCsv: string, v6Csv: string): Promise<AsnTable> {
    const t = new AsnTable();
    t.v4 = new Ranges(1, await countLines(v4NumCsv));
    t.v6 = new Ranges(4, await countLines(v6Csv));
    // Pass 1: ranges, with the ASN itself in idx (replaced by its index below).
    const s4 = new Uint32Array(1);
    const e4 = new Uint32Array(1);
    const r4 = await forEachLine(v4NumCsv, (buf, s, e) => {
      const a = uint(buf, s, e);
      const b = a && uint(buf, a[1], e);
      const n = b && uint(buf, b[1], e);
      if (!a || !b || !n) return void t.dropped++;
      s4[0] = a[0];
      e4[0] = b[0];
      if (!t.v4.push(s4, e4, n[0])) t.dropped++;
    });
    const s6 = new Uint32Array(4);
    const e6 = new Uint32Array(4);
    const r6 = await forEachLine(v6Csv, (buf, s, e) => {
      const c = commas(buf, s, e, 2);
      const n = c && uint(buf, c[1]! + 1, e);
      if (!c || !n || !v6Words(buf, s, c[0]!, s6) || !v6Words(buf, c[0]! + 1, c[1]!, e6)) return void t.dropped++;
      if (!t.v6.push(s6, e6, n[0])) t.dropped++;
    });
    t.dropped += r4.overlong + r6.overlong;
    t.v4.trim();
    t.v6.trim();
    // Distinct ASNs by sort + unique; then each row's idx becomes the ASN's index.
    const all = new Uint32Array(t.v4.n + t.v6.n);
    all.set(t.v4.idx), all.set(t.v6.idx, t.v4.n);
    all.sort();
    let u = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[u - 1]) all[u++] = all[i]!;
    t.asns = all.slice(0, u);
    for (const r of [t.v4, t.v6]) for (let i = 0; i < r.n; i++) r.idx[i] = t.indexOf(r.idx[i]!);
    // Pass 2: the first organisation name seen for each ASN.
    t.orgOff = new Uint32Array(u);
    t.orgLen = new Uint16Array(u);
    let bytes = new Uint8Array(1 << 21);
    let used = 0;
    const take = (k: number, buf: Buffer, i: number, e: number) => {
      if (t.orgLen[k] || k >= u) return;
      if (used + ORG_MAX > bytes.length) {
        const b = new Uint8Array(bytes.length * 2);
        b.set(bytes.subarray(0, used));
        bytes = b;
      }
      const n = orgBytes(buf, i, e, bytes, used);
      t.orgOff[k] = used;
      t.orgLen[k] = n;
      used += n;
    };
    const orgs = (path: string) =>
      forEachLine(path, (buf, s, e) => {
        const c = commas(buf, s, e, 3);
        const n = c && uint(buf, c[1]! + 1, e);
        if (c && n) take(t.indexOf(n[0]), buf, c[2]! + 1, e);
      });
    await orgs(v4NumCsv);
    await orgs(v6Csv);
    t.orgBytes = bytes.slice(0, used);
    return t;
  }

  private indexOf(asn: number): number {
    let lo = 0;
    let hi = this.asns.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.asns[mid]!;
      if (v === asn) return mid;
      if (v < asn) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** The range holding the address, if any. */
  lookup(ip: IpAddr): AsnHit | undefined {
    const r = ip.family === 4 ? this.v4 : this.v6;
    const i = r.find(words(ip.bytes, ip.family === 4 ? this.key4 : this.key6));
    if (i < 0) return undefined;
    const k = r.idx[i]!;
    return { asn: this.asns[k]!, org: this.decoder.decode(this.orgBytes.subarray(this.orgOff[k]!, this.orgOff[k]! + this.orgLen[k]!)) };
  }

  get size(): { v4: number; v6: number; asns: number } {
    return { v4: this.v4.n, v6: this.v6.n, asns: this.asns.length };
  }
}
