import { BUS_REJECT_REASONS } from "@honeymesh/schema/metrics";

/** Why a bus message or client was refused (`hm_bus_rejected_total{reason}`). */
export const REJECT_REASONS = BUS_REJECT_REASONS;
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
  /** Exactly the names given, 0 when never counted: the shape of a typed per-reason metric. */
  pick<const N extends readonly K[]>(names: N): { [P in N[number]]: number } {
    return Object.fromEntries(names.map((n) => [n, this.get(n)])) as { [P in N[number]]: number };
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.values);
  }
}
