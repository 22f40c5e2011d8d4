import { canonicalAddress } from "@honeymesh/ban/address";
import { FeedError } from "./errors.ts";
import { canonicalV4 } from "./ipv4.ts";
import { sortUnique, type Snapshot } from "./snapshot.ts";
import { specialPurpose, specialV4 } from "./special-purpose.ts";

export const FEED_FORMATS = ["plain", "firehol", "spamhaus-drop", "crowdsec"] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export interface ParsedFeed {
  /** Canonical entries (RFC 5952, no host bits), de-duplicated. */
  entries: Snapshot;
  /** Lines or items that were not an address or prefix (counted, never fatal). */
  invalid: number;
  /** Items the format carries but a ban cannot use (CrowdSec scopes other than Ip/Range, non-ban types). */
  skipped: number;
  /** Entries in or over private, loopback, link-local, multicast or reserved networks, left out (see special-purpose.ts). */
  special: number;
}

class Collector {
  private v4: number[] = [];
  private readonly other = new Set<string>();
  invalid = 0;
  skipped = 0;
  special = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly keepSpecial: boolean,
  ) {}
  addV4(v: number): void {
    if (!this.keepSpecial && specialV4(v)) {
      this.special++;
      return;
    }
    this.v4.push(v);
    // Raw count before de-duplication: bounds memory on a list that repeats itself.
    if (this.v4.length > 4 * this.maxEntries) this.tooMany();
  }
  add(text: string): void {
    const v = canonicalV4(text);
    if (v >= 0) return this.addV4(v);
    const c = text.length <= 64 ? canonicalAddress(text) : undefined;
    if (!c?.ok) {
      this.invalid++;
      return;
    }
    if (c.address.kind === "ip" && canonicalV4(c.address.text) >= 0) return this.addV4(canonicalV4(c.address.text));
    if (!this.keepSpecial && specialPurpose(c.address.text)) {
      this.special++;
      return;
    }
    this.other.add(c.address.text);
    if (this.other.size > this.maxEntries) this.tooMany();
  }
  private tooMany(): never {
    // Refusing the whole snapshot keeps the previous list in force; a truncated one would unban the rest.
    throw new FeedError("FEED_TOO_LARGE", `more than ${this.maxEntries} entries (max_entries); the previous list stays in force`);
  }
  done(): ParsedFeed {
    const v4 = sortUnique(Uint32Array.from(this.v4));
    this.v4 = [];
    if (v4.length + this.other.size > this.maxEntries) this.tooMany();
    return { entries: { v4, other: this.other }, invalid: this.invalid, skipped: this.skipped, special: this.special };
  }
}

/**
 * One address or prefix per line, the first word of it; `#` and `;` start comments (FireHOL
 * netsets carry their metadata in `#` lines; Spamhaus DROP text puts the SBL id after ` ; `).
 */
function parseLines(text: string, c: Collector): void {
  for (const raw of text.split("\n")) {
    // The common line is a bare address: one check and no copies.
    if (raw.length <= 15 && raw.length >= 7 && raw.charCodeAt(0) <= 57) {
      const v = canonicalV4(raw);
      if (v >= 0) {
        c.addV4(v);
        continue;
      }
    }
    let line = raw;
    const hash = line.indexOf("#");
    if (hash >= 0) line = line.slice(0, hash);
    const semi = line.indexOf(";");
    if (semi >= 0) line = line.slice(0, semi);
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

/**
 * A feed's text → its canonical entries. Special-purpose networks are left out (and counted)
 * unless `keepSpecial`. Throws FeedError only for a snapshot that must not replace the last one.
 */
export function parseFeed(format: FeedFormat, text: string, maxEntries: number, keepSpecial = false): ParsedFeed {
  const c = new Collector(maxEntries, keepSpecial);
  if (format === "crowdsec") parseCrowdsec(text, c);
  else if (format === "spamhaus-drop") parseSpamhaus(text, c);
  else parseLines(text, c);
  return c.done();
}
