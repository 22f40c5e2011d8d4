import { Lru } from "./lru.ts";
import { isLive, laterExpiry } from "@honeymesh/ban/liveness";

/**
 * What is banned now, as enforcerd reports it (and what scand just decided, until enforcerd
 * answers), so that a flood of evidence about one source is one decision, not thousands.
 */
export class ActiveBans {
  private readonly bans: Lru<string, { reasons: number; expiresAt: number }>;
  constructor(max: number) {
    this.bans = new Lru(max);
  }

  covers(value: string, reasons: number, now: number): boolean {
    const b = this.bans.get(value);
    return Boolean(b && isLive(b.expiresAt, now) && (b.reasons & reasons) === reasons);
  }

  set(value: string, reasons: number, expiresAt: number): void {
    const b = this.bans.getOrCreate(value, () => ({ reasons: 0, expiresAt }));
    b.reasons |= reasons;
    b.expiresAt = laterExpiry(b.expiresAt, expiresAt);
  }

  /** Replaces what scand assumed with what enforcerd says. */
  replace(value: string, reasons: number, expiresAt: number): void {
    this.bans.delete(value);
    this.set(value, reasons, expiresAt);
  }

  remove(value: string): void {
    this.bans.delete(value);
  }
}
