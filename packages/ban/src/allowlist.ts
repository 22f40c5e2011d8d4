import { mask, parseAddress, formatAddress, type ParsedAddress } from "@honeymesh/net/address";

/**
 * Where an allowlist entry comes from; system and config entries cannot be removed at run time.
 * The protected set (DESIGN §3) adds what the node keeps for itself: its resolvers, NTP servers,
 * mesh peers and live sessions. Those block automatic decisions only (live sessions only
 * unverified ones); system, config and operator entries block every ban, in the kernel too.
 */
export const ALLOW_SOURCES = ["system", "config", "operator", "peer", "resolver", "ntp", "session"] as const;
export type AllowSource = (typeof ALLOW_SOURCES)[number];
export type ProtectedSource = Extract<AllowSource, "resolver" | "ntp" | "peer" | "session">;

export interface AllowEntry {
  text: string;
  source: AllowSource;
}

export function inside(inner: ParsedAddress, outer: ParsedAddress): boolean {
  if (inner.family !== outer.family || outer.prefix > inner.prefix) return false;
  const m = mask(inner.bytes, outer.prefix);
  return m.every((b, i) => b === outer.bytes[i]);
}

/**
 * The allowlist (DESIGN §3), the one implementation: enforcerd checks it before every insert and
 * mirrors it into the kernel's LPM tries (checked first for every packet), scand and meshd check it
 * before deciding, apid explains with it. One meaning: an address inside an entry is never dropped.
 * So a ban wholly inside an entry is refused (`covers`: it would drop nothing), and a prefix that
 * merely contains an entry still drops the rest of its range, while the kernel passes the entry
 * (`overlapping` names those entries; meshd refuses such prefixes from peers outright).
 */
export class AllowSet {
  private readonly entries = new Map<string, { parsed: ParsedAddress; source: AllowSource }>();

  /** Adds entries; returns the ones that did not parse, with why. */
  add(texts: readonly string[], source: AllowSource = "operator"): { text: string; reason: string }[] {
    const bad: { text: string; reason: string }[] = [];
    for (const text of texts) {
      // parseAddress refuses /0: allow-all is never meant.
      const t = parseAddress(text);
      if (!t.ok) {
        bad.push({ text, reason: t.reason });
        continue;
      }
      const key = formatAddress(t.value);
      // A system or config entry keeps its source when an operator adds the same text.
      if (!this.entries.has(key)) this.entries.set(key, { parsed: t.value, source });
    }
    return bad;
  }

  remove(text: string): boolean {
    const t = parseAddress(text);
    return t.ok && this.entries.delete(formatAddress(t.value));
  }

  /** Replaces every entry of one source (e.g. the current mesh peers). */
  replaceSource(source: AllowSource, texts: readonly string[]): void {
    for (const [k, v] of this.entries) if (v.source === source) this.entries.delete(k);
    this.add(texts, source);
  }

  sourceOf(text: string): AllowSource | undefined {
    const t = parseAddress(text);
    return t.ok ? this.entries.get(formatAddress(t.value))?.source : undefined;
  }

  /** True when the address lies wholly inside an allowed entry (a ban on it would drop nothing). */
  covers(a: ParsedAddress): boolean {
    return this.coverer(a) !== undefined;
  }

  /** The entry the address lies wholly inside, if any. */
  coverer(a: ParsedAddress): AllowEntry | undefined {
    for (const [text, e] of this.entries) if (inside(a, e.parsed)) return { text, source: e.source };
    return undefined;
  }

  /** Entries that cover the address or lie inside it (a prefix ban would spare them). */
  overlapping(a: ParsedAddress): AllowEntry[] {
    const out: AllowEntry[] = [];
    for (const [text, e] of this.entries) if (inside(a, e.parsed) || inside(e.parsed, a)) out.push({ text, source: e.source });
    return out;
  }

  list(): AllowEntry[] {
    return [...this.entries].map(([text, e]) => ({ text, source: e.source }));
  }

  get size(): number {
    return this.entries.size;
  }
}
