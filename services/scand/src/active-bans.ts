import { Lru } from "./lru.ts";
import { isLive, laterExpiry } from "@honeymesh/ban/liveness";

/**
 * What is banned now, as enforcerd reports it (and what scand just decided, until enforcerd
 * answers), so that a flood of evidence about one source is one decision, not thousands.
 */
export class ActiveBans {
  private readonly bans: Lru<string, { reasons: number; expiresAt: number; verified: boolean }>;
  constructor(max: number) {
    this.bans = new Lru(max);
  }

  /**
   * True when a live ban already holds these reasons with at least this confidence: verified
   * evidence about a source banned on unverified evidence alone is still decided (it upgrades
   * the ban); unverified evidence about a verified ban is not (it could change nothing).
   */
  covers(value: string, reasons: number, now: number, verified = true): boolean {
    const b = this.bans.get(value);
    if (!b || !isLive(b.expiresAt, now)) return false;
    if (b.verified) return !verified || (b.reasons & reasons) === reasons;
    return !verified && (b.reasons & reasons) === reasons;
  }

  set(value: string, reasons: number, expiresAt: number, verified = true): void {
    const b = this.bans.getOrCreate(value, () => ({ reasons: 0, expiresAt, verified }));
    if (verified && !b.verified) {
      b.verified = true;
      b.expiresAt = expiresAt;
    }
    b.reasons |= reasons;
    b.expiresAt = laterExpiry(b.expiresAt, expiresAt);
  }

  /** Replaces what scand assumed with what enforcerd says. */
  replace(value: string, reasons: number, expiresAt: number, verified = true): void {
    this.bans.delete(value);
    this.set(value, reasons, expiresAt, verified);
  }

  remove(value: string): void {
    this.bans.delete(value);
  }
}
