import { deliverWithRetries } from "./retry.ts";
import type { AbuseReport } from "./abuseipdb.ts";

/** A ban as the reporter sees it (enforcerd's `ban` change, reasons as names). */
export interface ReportBan {
  address: string;
  kind: "ip" | "cidr";
  reasons: readonly string[];
  origin: string;
  confidence: "verified" | "unverified";
  evidence: readonly { kind: string; summary: string; trap?: string; jail?: string }[];
  at: number;
}

/**
 * The built-in mapping to AbuseIPDB's categories (abuseipdb.com/categories): 14 port scan,
 * 15 hacking, 18 brute-force, 22 SSH. Used when `[report.<name>] categories` is empty.
 */
export const DEFAULT_CATEGORIES: Readonly<Record<string, readonly number[]>> = { SCAN: [14], TRAP: [15], BRUTEFORCE: [18], "BRUTEFORCE+ssh": [18, 22], "TRAP+ssh": [18, 22], "jail:sshd": [18, 22] };

const RULE = /^(?:([A-Z]{1,16})(?:\+[A-Za-z0-9_.-]{1,32})?|(?:jail|trap):[A-Za-z0-9_.-]{1,32})$/;

/** The rules that are not of a form `categoriesOf` understands (or name no reason), for a config error. */
export function badRules(rules: Readonly<Record<string, readonly number[]>>, reasons: readonly string[]): string[] {
  return Object.keys(rules).filter((r) => {
    const m = RULE.exec(r);
    return !m || (m[1] !== undefined && !reasons.includes(m[1]));
  });
}

/** Why a ban was not reported; each is counted. */
export type SkipRule = "not_local" | "unverified" | "external" | "prefix" | "excluded" | "no_category" | "recent" | "queue_full";

export interface ReporterOptions {
  send: (r: AbuseReport) => Promise<void>;
  /** Rule → categories: `REASON`, `REASON+<trap or jail>`, `jail:<name>`, `trap:<service>`. */
  categories: Readonly<Record<string, readonly number[]>>;
  /** This node's id: only bans it decided itself are reported. */
  nodeId: string;
  /** A reason to leave an address out (allowlisted, protected, not a global address), or undefined. */
  exclude: (address: string) => string | undefined;
  ratePerMin: number;
  minIntervalMs: number;
  maxQueue: number;
  retries: number;
  backoffMs: number;
  /** How often queued reports are looked at, in ms; 0 = only when `pump` is called (tests). */
  tickMs: number;
}

export interface ReporterStats {
  sent: number;
  failed: number;
  retried: number;
  queued: number;
  skipped: Record<SkipRule, number>;
  last_error: string | null;
  last_sent_at: number | null;
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g;
const IPV6 = /[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\/\d{1,3})?/gi;
// host.example, node-1.lan: anything with a dot between letters that is not a number.
const HOST = /\b[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*\.[a-z][a-z0-9-]{0,62}\b/gi;

/**
 * The report's comment: the evidence summaries, with every address but the offender's and every
 * host name taken out (summaries can name this node's own addresses, ports' owners, jail hosts),
 * at most 1024 characters (AbuseIPDB's limit).
 */
export function reportComment(b: ReportBan): string {
  const own = b.address;
  const scrub = (s: string) =>
    s
      .replace(IPV4, (m) => (m === own ? m : "[address]"))
      // An IPv6 literal has "::" or eight groups; "12:30:45" (a time) is neither.
      .replace(IPV6, (m) => (m !== own && (m.includes("::") || m.split(":").length === 8) ? "[address]" : m))
      .replace(HOST, (m) => (m === own ? m : "[host]"))
      .replace(/[\u0000-\u001f\u007f]/g, " ");
  const parts = [...new Set(b.evidence.map((e) => scrub(e.summary).trim()).filter(Boolean))];
  return `HoneyMesh: ${b.reasons.join(", ")}${parts.length ? `: ${parts.join("; ")}` : ""}`.slice(0, 1024);
}

/** The categories of every rule a ban matches, sorted, without repeats. */
export function categoriesOf(b: ReportBan, rules: Readonly<Record<string, readonly number[]>>): number[] {
  const out = new Set<number>();
  const details = new Set(b.evidence.flatMap((e) => [e.trap, e.jail].filter((x): x is string => Boolean(x))));
  for (const [rule, cats] of Object.entries(rules)) {
    const colon = rule.indexOf(":");
    let hit = false;
    if (colon > 0) {
      const [what, name] = [rule.slice(0, colon), rule.slice(colon + 1)];
      hit = b.evidence.some((e) => (what === "jail" ? e.jail : e.trap) === name);
    } else {
      const [reason, detail] = rule.split("+") as [string, string | undefined];
      hit = b.reasons.includes(reason) && (detail === undefined || details.has(detail));
    }
    if (hit) for (const c of cats) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Reports this node's verified bans to one AbuseIPDB-style API. `accept` decides at once (and
 * counts) whether a ban may be reported: never a mesh peer's ban, an unverified one, one from an
 * imported list (EXTERNAL) or the mesh (MESH), a prefix, an excluded address, one without a
 * category, or an address reported within `minIntervalMs`. What passes waits in a bounded queue
 * and goes out at `ratePerMin` (token bucket, burst 1), with retries on 429/5xx/network trouble.
 */
export class Reporter {
  readonly stats: ReporterStats = { sent: 0, failed: 0, retried: 0, queued: 0, skipped: { not_local: 0, unverified: 0, external: 0, prefix: 0, excluded: 0, no_category: 0, recent: 0, queue_full: 0 }, last_error: null, last_sent_at: null };
  private readonly queue: AbuseReport[] = [];
  /** Address → when it was last queued for a report; pruned past the interval. */
  private readonly lastReported = new Map<string, number>();
  private tokens = 1;
  private refilledAt: number;
  /** Runs of `run` one after another; at most one waits behind the one in flight. */
  private chain: Promise<void> = Promise.resolve();
  private runWaiting = false;
  private pumpAt = 0;
  private stopped = false;
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly o: ReporterOptions,
    now = Date.now(),
  ) {
    this.refilledAt = now;
    if (o.tickMs > 0) {
      this.timer = setInterval(() => void this.pump(), o.tickMs);
      this.timer.unref?.();
    }
  }

  /** Decides about one ban; returns the rule that kept it back, or undefined when it is queued. */
  accept(b: ReportBan, now = Date.now()): SkipRule | undefined {
    if (this.stopped) return undefined;
    const skip = this.rule(b, now);
    if (skip) {
      this.stats.skipped[skip]++;
      return skip;
    }
    this.lastReported.set(b.address, now);
    this.queue.push({ ip: b.address, categories: categoriesOf(b, this.o.categories), comment: reportComment(b), at: b.at });
    this.stats.queued = this.queue.length;
    void this.pump(now);
    return undefined;
  }

  private rule(b: ReportBan, now: number): SkipRule | undefined {
    if (b.origin !== this.o.nodeId) return "not_local";
    if (b.confidence !== "verified") return "unverified";
    if (b.reasons.includes("EXTERNAL") || b.reasons.includes("MESH") || b.evidence.some((e) => e.kind === "external" || e.kind === "mesh")) return "external";
    if (b.kind !== "ip") return "prefix";
    if (this.o.exclude(b.address) !== undefined) return "excluded";
    if (categoriesOf(b, this.o.categories).length === 0) return "no_category";
    const last = this.lastReported.get(b.address);
    if (last !== undefined && now - last < this.o.minIntervalMs) return "recent";
    if (this.queue.length >= this.o.maxQueue) return "queue_full";
    if (this.lastReported.size > 100_000) for (const [a, t] of this.lastReported) if (now - t >= this.o.minIntervalMs) this.lastReported.delete(a);
    return undefined;
  }

  /** Sends what the rate allows now; the timer calls it every `tickMs`. Resolves when that run is done. */
  pump(now = Date.now()): Promise<void> {
    this.pumpAt = Math.max(this.pumpAt, now);
    if (!this.runWaiting) {
      this.runWaiting = true;
      this.chain = this.chain.then(() => {
        this.runWaiting = false;
        return this.run(this.pumpAt);
      });
    }
    return this.chain;
  }

  private async run(now: number): Promise<void> {
    this.tokens = Math.min(1, this.tokens + ((now - this.refilledAt) / 60_000) * this.o.ratePerMin);
    this.refilledAt = now;
    while (this.queue.length > 0 && this.tokens >= 1 && !this.stopped) {
      this.tokens -= 1;
      const r = this.queue.shift()!;
      this.stats.queued = this.queue.length;
      await this.attempts(r);
    }
  }

  private attempts(r: AbuseReport): Promise<void> {
    return deliverWithRetries(() => this.o.send(r), { retries: this.o.retries, backoffMs: this.o.backoffMs, stopped: () => this.stopped }, this.stats);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }
}
