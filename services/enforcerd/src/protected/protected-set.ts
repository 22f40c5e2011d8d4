import { AllowSet, type AllowEntry, type ProtectedSource } from "@honeymesh/ban/allowlist";
import type { Confidence } from "@honeymesh/ban/confidence";
import { formatIp, parseAddress, type ParsedAddress } from "@honeymesh/net/address";
import { inside } from "@honeymesh/ban/allowlist";
import type { SessionSnapshot } from "./session-reader.ts";

export interface ProtectedSources {
  /** Resolvers, NTP servers and mesh peers: read from files and config, cheap, rarely changing. */
  fixed(): Record<Exclude<ProtectedSource, "session">, string[]>;
  /** Remote addresses with an established TCP connection to a non-trap local port. */
  sessions(): Set<string>;
  /** The same, kept fresh off the event loop while unverified decisions flow (session-reader.ts). */
  background?: { touch(now: number): void; snapshot(): SessionSnapshot | undefined; close(): void };
}

export interface ProtectedOptions {
  /** How old the session snapshot may be for the periodic refresh (what `allow ls` shows). */
  sessionMaxAgeMs: number;
  /** How old it may be when an unverified ban is about to be decided (re-read on demand). */
  onDemandMaxAgeMs?: number;
  /** How often resolvers, NTP servers and peers are re-read. */
  fixedMaxAgeMs: number;
  /** Called with the whole set whenever it changed (enforcerd mirrors it for apid). */
  onChange?: (entries: AllowEntry[]) => void;
}

/**
 * The node's protected set (DESIGN §3): what automatic decisions (scand, meshd) never touch.
 * Resolvers, NTP servers and mesh peers are protected from every automatic decision; live
 * sessions only from unverified ones (a real connection that also brute-forces a trap is still
 * banned). Operators are not bound by it — only the allowlist binds them. Kept apart from the
 * allowlist on purpose: the allowlist is mirrored into the kernel and spares every packet; the
 * protected set only refuses decisions.
 */
export class ProtectedSet {
  private fixedSet = new AllowSet();
  /** Canonical texts: sessions are single addresses, so an exact check is one lookup even with thousands. */
  private sessionSet = new Set<string>();
  private fixedAt = -Infinity;
  private sessionsAt = -Infinity;
  private lastKey = "";

  constructor(
    private readonly sources: ProtectedSources,
    private readonly o: ProtectedOptions,
  ) {}

  /** Re-reads what is due (or everything with `force`) and reports a changed set. */
  refresh(now = performance.now(), force = false, sessionMaxAgeMs = this.o.sessionMaxAgeMs): void {
    let changed = false;
    if (force || now - this.fixedAt >= this.o.fixedMaxAgeMs) {
      const next = new AllowSet();
      for (const [source, texts] of Object.entries(this.sources.fixed())) next.add(texts, source as ProtectedSource);
      this.fixedSet = next;
      this.fixedAt = now;
      changed = true;
    }
    if (force || now - this.sessionsAt >= sessionMaxAgeMs) {
      this.sessionSet = this.sources.sessions();
      this.sessionsAt = now;
      changed = true;
    }
    if (changed) this.report();
  }

  /**
   * The entry that protects the address from an automatic decision of this confidence, if any:
   * for a prefix, any protected entry inside it counts (the prefix would drop it).
   */
  protects(a: ParsedAddress, confidence: Confidence, now = performance.now()): AllowEntry | undefined {
    if (confidence === "unverified") this.adoptBackground(now);
    this.refresh(now, false, confidence === "unverified" ? (this.o.onDemandMaxAgeMs ?? this.o.sessionMaxAgeMs) : this.o.sessionMaxAgeMs);
    const fixed = a.exact ? this.fixedSet.coverer(a) : this.fixedSet.overlapping(a)[0];
    if (fixed || confidence === "verified") return fixed;
    if (a.exact) {
      const text = formatIp(a.family, a.bytes);
      return this.sessionSet.has(text) ? { text, source: "session" } : undefined;
    }
    for (const text of this.sessionSet) {
      const s = parseAddress(text);
      if (s.ok && inside(s.value, a)) return { text, source: "session" };
    }
    return undefined;
  }

  /** Takes the background reader's snapshot when it is newer; the on-demand read then only runs if it is still too old. */
  private adoptBackground(now: number): void {
    const bg = this.sources.background;
    if (!bg) return;
    bg.touch(now);
    const s = bg.snapshot();
    if (!s || s.at <= this.sessionsAt) return;
    this.sessionSet = s.set;
    this.sessionsAt = s.at;
    this.report();
  }

  close(): void {
    this.sources.background?.close();
  }

  list(): AllowEntry[] {
    const seen = new Set<string>();
    const out: AllowEntry[] = [];
    // A resolver that also holds a session is listed once, as a resolver.
    for (const e of [...this.fixedSet.list(), ...[...this.sessionSet].map((text): AllowEntry => ({ text, source: "session" }))]) {
      if (seen.has(e.text)) continue;
      seen.add(e.text);
      out.push(e);
    }
    return out;
  }

  private report(): void {
    const entries = this.list();
    const key = entries.map((e) => `${e.text}=${e.source}`).sort().join(",");
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.o.onChange?.(entries);
  }
}
