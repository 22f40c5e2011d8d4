import { canonicalAddress } from "@honeymesh/ban/address";
import { FeedError } from "./errors.ts";

export const FEED_FORMATS = ["plain", "firehol", "spamhaus-drop", "crowdsec"] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export interface ParsedFeed {
  /** Canonical address texts (RFC 5952, no host bits), de-duplicated. */
  entries: Set<string>;
  /** Lines or items that were not an address or prefix (counted, never fatal). */
  invalid: number;
  /** Items the format carries but a ban cannot use (CrowdSec scopes other than Ip/Range, non-ban types). */
  skipped: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Plain IPv4 addresses are most of a large feed; their canonical text is the input when no octet
 * has a leading zero or exceeds 255, so they skip the general parser (bench/feeds: 1 M lines).
 */
function canonical(text: string): string | undefined {
  const m = V4.exec(text);
  if (m) {
    let ok = true;
    for (let i = 1; i <= 4; i++) {
      const o = m[i]!;
      if ((o.length > 1 && o[0] === "0") || Number(o) > 255) ok = false;
    }
    if (ok) return text;
  }
  const c = canonicalAddress(text);
  return c.ok ? c.address.text : undefined;
}

class Collector {
  readonly entries = new Set<string>();
  invalid = 0;
  skipped = 0;
  constructor(private readonly maxEntries: number) {}
  add(text: string): void {
    const c = text.length <= 64 ? canonical(text) : undefined;
    if (c === undefined) {
      this.invalid++;
      return;
    }
    this.entries.add(c);
    // Refusing the whole snapshot keeps the previous list in force; a truncated one would unban the rest.
    if (this.entries.size > this.maxEntries) throw new FeedError("FEED_TOO_LARGE", `more than ${this.maxEntries} entries (max_entries); the previous list stays in force`);
  }
  done(): ParsedFeed {
    return { entries: this.entries, invalid: this.invalid, skipped: this.skipped };
  }
}

/**
 * One address or prefix per line, the first word of it; `#` and `;` start comments (FireHOL
 * netsets carry their metadata in `#` lines; Spamhaus DROP text puts the SBL id after ` ; `).
 */
function parseLines(text: string, c: Collector): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    const hash = line.search(/[#;]/);
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim();
    if (line === "") continue;
    const ws = line.search(/\s/);
    c.add(ws < 0 ? line : line.slice(0, ws));
  }
}

/** Spamhaus DROP/EDROP as JSON lines (`{"cidr":…,"sblid":…}`, a last `{"type":"metadata",…}`), else as text. */
function parseSpamhaus(text: string, c: Collector): void {
  if (!text.trimStart().startsWith("{")) return parseLines(text, c);
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      c.invalid++;
      continue;
    }
    if (!o || typeof o !== "object") {
      c.invalid++;
      continue;
    }
    const rec = o as Record<string, unknown>;
    if (rec.type === "metadata") continue;
    if (typeof rec.cidr === "string") c.add(rec.cidr);
    else c.invalid++;
  }
}

function crowdsecDecision(d: unknown, c: Collector): void {
  if (!d || typeof d !== "object") return void c.invalid++;
  const r = d as Record<string, unknown>;
  const scope = typeof r.scope === "string" ? r.scope.toLowerCase() : "ip";
  const type = typeof r.type === "string" ? r.type.toLowerCase() : "ban";
  if ((scope !== "ip" && scope !== "range") || type !== "ban") return void c.skipped++;
  if (typeof r.value === "string") c.add(r.value);
  else c.invalid++;
}

/**
 * CrowdSec: the LAPI stream answer (`{"new":[…],"deleted":[…]}`, fetched with `startup=true` it is
 * the whole set), `cscli decisions list -o json` (alerts, each with `decisions`), or a plain array
 * of decisions. Only `ban` decisions of scope Ip or Range become bans.
 */
function parseCrowdsec(text: string, c: Collector): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FeedError("FEED_PARSE", `not CrowdSec JSON: ${(e as Error).message.slice(0, 120)}`);
  }
  if (doc === null) return; // the stream says null when there is nothing
  const items: unknown[] = Array.isArray(doc) ? doc : doc && typeof doc === "object" && "new" in doc ? ((doc as { new: unknown }).new as unknown[] | null) ?? [] : [];
  if (!Array.isArray(items)) throw new FeedError("FEED_PARSE", "CrowdSec JSON: expected an array of decisions or alerts, or a stream answer with `new`");
  if (!Array.isArray(doc) && !(doc && typeof doc === "object" && "new" in doc)) throw new FeedError("FEED_PARSE", "CrowdSec JSON: expected an array of decisions or alerts, or a stream answer with `new`");
  for (const it of items) {
    if (it && typeof it === "object" && Array.isArray((it as { decisions?: unknown }).decisions)) for (const d of (it as { decisions: unknown[] }).decisions) crowdsecDecision(d, c);
    else crowdsecDecision(it, c);
  }
}

/** A feed's text → its canonical entries. Throws FeedError only for a snapshot that must not replace the last one. */
export function parseFeed(format: FeedFormat, text: string, maxEntries: number): ParsedFeed {
  const c = new Collector(maxEntries);
  if (format === "crowdsec") parseCrowdsec(text, c);
  else if (format === "spamhaus-drop") parseSpamhaus(text, c);
  else parseLines(text, c);
  return c.done();
}
