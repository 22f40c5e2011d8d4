/** Why a bus message or client was refused (`hm_bus_rejected_total{reason}`). */
export const REJECT_REASONS = [
  "oversize",
  "malformed",
  "unknown_key",
  "signature",
  "topic_owner",
  "topic",
  "expired",
  "not_yet_valid",
  "replay",
  "unknown_kind",
  "schema",
  "overload",
  "handler_error",
  "auth",
  "acl",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Plain counters; cheap enough for the per-message path. */
export class Counters<K extends string = string> {
  private readonly values = new Map<K, number>();
  inc(key: K, by = 1): void {
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(key: K): number {
    return this.values.get(key) ?? 0;
  }
  total(): number {
    let t = 0;
    for (const v of this.values.values()) t += v;
    return t;
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.values);
  }
}
