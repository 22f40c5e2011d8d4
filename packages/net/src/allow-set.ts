import { formatTarget, mask, parseTarget, type Target } from "./address.ts";

/**
 * The allowlist as parsed prefixes, checked before any insert (DESIGN §3). The kernel has the
 * same entries in its LPM tries, checked first for every packet; this copy refuses bans early.
 */
export class AllowSet {
  private readonly entries = new Map<string, Target>();

  /** Adds entries; returns the ones that did not parse, with why. */
  add(texts: readonly string[]): { text: string; reason: string }[] {
    const bad: { text: string; reason: string }[] = [];
    for (const text of texts) {
      // An allow entry may be /0 in principle, but parseTarget refuses it: allow-all is never meant.
      const t = parseTarget(text);
      if (t.ok) this.entries.set(formatTarget(t.value), t.value);
      else bad.push({ text, reason: t.reason });
    }
    return bad;
  }

  remove(text: string): boolean {
    const t = parseTarget(text);
    return t.ok && this.entries.delete(formatTarget(t.value));
  }

  /** True when the target lies wholly inside an allowed prefix (a covered ban would drop nothing). */
  covers(t: Target): boolean {
    for (const a of this.entries.values()) {
      if (a.family !== t.family || a.prefix > t.prefix) continue;
      const x = mask(t.bytes, a.prefix);
      if (x.every((b, i) => b === a.bytes[i])) return true;
    }
    return false;
  }

  list(): string[] {
    return [...this.entries.keys()];
  }
}
