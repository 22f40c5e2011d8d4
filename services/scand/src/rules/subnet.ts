import { formatCidr, mask, parseAddress } from "@honeymesh/net/address";
import { evidence } from "@honeymesh/ban/evidence";
import { Lru } from "../lru.ts";
import type { Finding } from "./types.ts";

export interface SubnetOptions {
  v4: boolean;
  v4Prefix: number;
  v6: boolean;
  v6Prefix: number;
  threshold: number;
  windowMs: number;
}

/**
 * Subnet aggregation: when `threshold` addresses of one prefix are banned within the window,
 * the prefix itself is decided (on by default for IPv6 /64, where an attacker holds the whole
 * prefix; off for IPv4 /24, where neighbours are often unrelated).
 */
export class SubnetAggregator {
  private readonly prefixes = new Lru<string, Map<string, { at: number; reasons: number }>>(50_000);
  constructor(private readonly o: SubnetOptions) {}

  /** Notes a banned address; returns the prefix to ban when it crossed the threshold. */
  noteBan(value: string, reasons: number, at: number): { cidr: string; finding: Finding } | undefined {
    const t = parseAddress(value);
    if (!t.ok || !t.value.exact) return undefined;
    const on = t.value.family === 4 ? this.o.v4 : this.o.v6;
    if (!on) return undefined;
    const prefix = t.value.family === 4 ? this.o.v4Prefix : this.o.v6Prefix;
    const cidr = formatCidr(t.value.family, mask(t.value.bytes, prefix), prefix);
    const members = this.prefixes.getOrCreate(cidr, () => new Map());
    for (const [v, m] of members) if (at - m.at > this.o.windowMs) members.delete(v);
    if (members.size < this.o.threshold * 4 || members.has(value)) members.set(value, { at, reasons });
    if (members.size < this.o.threshold) return undefined;
    let all = 0;
    for (const m of members.values()) all |= m.reasons;
    this.prefixes.delete(cidr);
    return { cidr, finding: { reasons: all, evidence: evidence("subnet", `SUBNET: ${members.size} addresses of ${cidr} banned within ${Math.round(this.o.windowMs / 60_000)} min`, { count: members.size, window_s: this.o.windowMs / 1000 }) } };
  }
}
