import { AllowSet, type AllowEntry, type ProtectedSource } from "@honeymesh/ban/allowlist";
import type { Confidence } from "@honeymesh/ban/confidence";
import type { ParsedAddress } from "@honeymesh/net/address";

export interface ProtectedSources {
  /** Resolvers, NTP servers and mesh peers: read from files and config, cheap, rarely changing. */
  fixed(): Record<Exclude<ProtectedSource, "session">, string[]>;
  /** Remote addresses with an established TCP connection to a non-trap local port. */
  sessions(): Set<string>;
}

export interface ProtectedOptions {
  /** How old the session snapshot may be before a check on unverified evidence re-reads it. */
  sessionMaxAgeMs: number;
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
  private sessionSet = new AllowSet();
  private fixedAt = -Infinity;
  private sessionsAt = -Infinity;
  private lastKey = "";

  constructor(
    private readonly sources: ProtectedSources,
    private readonly o: ProtectedOptions,
  ) {}

  /** Re-reads what is due (or everything with `force`) and reports a changed set. */
  refresh(now = performance.now(), force = false): void {
    let changed = false;
    if (force || now - this.fixedAt >= this.o.fixedMaxAgeMs) {
      const next = new AllowSet();
      for (const [source, texts] of Object.entries(this.sources.fixed())) next.add(texts, source as ProtectedSource);
      this.fixedSet = next;
      this.fixedAt = now;
      changed = true;
    }
    if (force || now - this.sessionsAt >= this.o.sessionMaxAgeMs) {
      const next = new AllowSet();
      next.add([...this.sources.sessions()], "session");
      this.sessionSet = next;
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
    this.refresh(now);
    const hit = (set: AllowSet) => (a.exact ? set.coverer(a) : set.overlapping(a)[0]);
    return hit(this.fixedSet) ?? (confidence === "unverified" ? hit(this.sessionSet) : undefined);
  }

  list(): AllowEntry[] {
    const seen = new Set<string>();
    const out: AllowEntry[] = [];
    // A resolver that also holds a session is listed once, as a resolver.
    for (const e of [...this.fixedSet.list(), ...this.sessionSet.list()]) {
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
