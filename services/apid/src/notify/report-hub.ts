import { durationSeconds } from "@honeymesh/config/duration";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { REASON_NAMES, reasonNames } from "@honeymesh/ban/reasons";
import { ConfigError } from "@honeymesh/config/errors";
import type { BusClient } from "@honeymesh/bus/client";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { readSecretFile } from "@honeymesh/config/secret-file";
import { specialPurpose } from "@honeymesh/feeds/special-purpose";
import { parseAddress } from "@honeymesh/net/address";
import { postAbuseReport } from "@honeymesh/notify/abuseipdb";
import { badRules, DEFAULT_CATEGORIES, Reporter, type ReporterStats } from "@honeymesh/notify/report";
import type { BanChange } from "@honeymesh/schema/ban";

export interface ReportTargetStatus extends ReporterStats {
  name: string;
  type: string;
  /** Host of the API only: no path, no key. */
  host: string;
}

/**
 * The `[report.<name>]` targets: each added ban that enforcerd announces is offered to every
 * reporter, which decides and counts (see Reporter). Addresses that are allowlisted, protected or
 * not global (private, loopback, link-local, reserved: RFC 6890) are never reported; the allowlist
 * and protected set are read from enforcerd's store, at most every 5 s.
 */
export class ReportHub {
  private readonly targets = new Map<string, { type: string; host: string; r: Reporter }>();
  private allow: { set: AllowSet; at: number } | undefined;

  constructor(
    config: FrozenConfig["report"],
    nodeId: string,
    private readonly allowed: () => string[],
  ) {
    for (const [name, t] of Object.entries(config)) {
      if (!t.enabled) continue;
      const categories = Object.keys(t.categories).length > 0 ? t.categories : DEFAULT_CATEGORIES;
      const bad = badRules(categories, REASON_NAMES);
      if (bad.length) throw new ConfigError("CONFIG_INVALID", `report.${name}.categories: ${JSON.stringify(bad[0])} is not a rule: expected REASON (${REASON_NAMES.join(", ")}), REASON+<trap or jail>, jail:<name> or trap:<service>`, `report.${name}.categories`);
      // Read once at start; a ConfigError names the key. The key lives only in this closure.
      const key = readSecretFile(t.key_file, `report.${name}.key_file`);
      const send = (r: Parameters<typeof postAbuseReport>[2]) => postAbuseReport(t.url, key, r, t.timeout_s * 1000);
      const r = new Reporter({ send, categories, nodeId, exclude: (a) => this.exclude(a), ratePerMin: t.rate_per_min, minIntervalMs: durationSeconds(t.min_interval_per_address) * 1000, maxQueue: t.max_queue, retries: t.retries, backoffMs: 1000, tickMs: 250 });
      this.targets.set(name, { type: t.type, host: new URL(t.url).host, r });
    }
  }

  private exclude(address: string): string | undefined {
    if (specialPurpose(address)) return "not global";
    const now = Date.now();
    if (!this.allow || now - this.allow.at > 5000) {
      const set = new AllowSet();
      set.add(this.allowed(), "operator");
      this.allow = { set, at: now };
    }
    const p = parseAddress(address);
    return p.ok && this.allow.set.covers(p.value) ? "allowlisted or protected" : undefined;
  }

  async attach(bus: BusClient): Promise<void> {
    if (this.targets.size === 0) return;
    await bus.subscribe("enforcerd", "ban", (c) => this.onBan(c));
  }

  onBan(c: BanChange): void {
    if (c.change !== "added") return;
    const ban = { address: c.address.text, kind: c.address.kind, reasons: reasonNames(c.reasons), origin: c.origin, confidence: c.confidence, evidence: c.evidence, at: c.at };
    for (const { r } of this.targets.values()) r.accept(ban);
  }

  list(): ReportTargetStatus[] {
    return [...this.targets].map(([name, { type, host, r }]) => ({ name, type, host, ...r.stats, skipped: { ...r.stats.skipped } }));
  }

  stop(): void {
    for (const { r } of this.targets.values()) r.stop();
  }
}
