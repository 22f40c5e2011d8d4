/**
 * When a ban is in force, and how two expiries merge. Expiries are Unix ms; 0 means permanent.
 * The one place these rules live: enforcerd's store, scand's cache of active bans, meshd and apid
 * all call these.
 */
export function isLive(expiresAt: number, now = Date.now()): boolean {
  return expiresAt === 0 || expiresAt > now;
}

/** The later expiry wins; permanent (0) beats any time. */
export function laterExpiry(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : Math.max(a, b);
}

/** Merge of a live ban with a new decision for the same address: reasons stack, later expiry wins. */
export function mergeBan(live: { reasons: number; expiresAt: number }, incoming: { reasons: number; expiresAt: number }): { reasons: number; expiresAt: number; changed: boolean } {
  const reasons = live.reasons | incoming.reasons;
  const expiresAt = laterExpiry(live.expiresAt, incoming.expiresAt);
  return { reasons, expiresAt, changed: reasons !== live.reasons || expiresAt !== live.expiresAt };
}
