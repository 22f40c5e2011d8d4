import type { FeedStatus } from "@honeymesh/api/feeds";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { FeedError } from "@honeymesh/feeds/errors";
import { fetchSource } from "@honeymesh/feeds/fetch-source";
import { intervalSeconds } from "@honeymesh/feeds/interval";
import { parseFeed } from "@honeymesh/feeds/parse";
import { diffSnapshots, snapshotEntries, snapshotHas, snapshotSize } from "@honeymesh/feeds/snapshot";
import type { FeedResult } from "@honeymesh/schema/feed";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import { feedParts, type FeedResultWaiter, type PublishFeed } from "./feed-publisher.ts";
import type { AppliedFeed, FeedStore } from "./feed-store.ts";

type FeedConfig = FrozenConfig["feeds"][string];

interface FeedState {
  cfg: FeedConfig;
  refreshS: number;
  failed: boolean;
  applied: AppliedFeed;
  fetchedAt: number | null;
  nextAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  invalid: number;
  special: number;
  lastUpdate: FeedStatus["last_update"];
  timer?: ReturnType<typeof setTimeout>;
}

export interface FeedManagerDeps {
  feeds: FrozenConfig["feeds"];
  store: FeedStore;
  publish: PublishFeed;
  results: FeedResultWaiter;
  nodeId: string;
  logger: Logger;
  /** Whether enforcerd reports health: an update sent while it is not subscribed would be lost. */
  enforcerUp: () => boolean;
  /**
   * Told the entries an applied update removed (feed removals leave no tombstone and publish no
   * per-address change), so CrowdSec bouncers' `deleted` lists learn of them.
   */
  onRemoved?: (addresses: readonly string[], at: number) => void;
}

/**
 * Fetches the configured feeds on their intervals and sends enforcerd the diff between the list in
 * force and the new snapshot. apid does this because it already publishes operator and Fail2Ban
 * EXTERNAL decisions and owns the other outward-facing edges; a new bus identity would need keys,
 * ACL and supervisor work. One refresh runs at a time (feeds share entries: an address another
 * feed still lists is not removed), so the memory of a refresh is one snapshot and one diff.
 */
export class FeedManager {
  private readonly state = new Map<string, FeedState>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly gate = new RateLimitedGate();

  constructor(private readonly deps: FeedManagerDeps) {
    for (const [name, cfg] of Object.entries(deps.feeds)) {
      if (!cfg.enabled) continue;
      this.state.set(name, { cfg, refreshS: intervalSeconds(cfg.refresh, `feeds.${name}.refresh`), failed: false, applied: deps.store.load(name), fetchedAt: null, nextAt: null, lastError: null, lastErrorAt: null, invalid: 0, special: 0, lastUpdate: null });
    }
  }

  /** Withdraws feeds no longer configured (or disabled), then refreshes every feed now and on its interval. */
  start(): void {
    for (const name of this.deps.store.names()) if (!this.state.has(name)) this.enqueue(() => this.withdraw(name));
    for (const name of this.state.keys()) this.schedule(name, 0);
  }

  /** Refreshes one feed now (queued behind a running one); resolves when done. */
  refresh(name: string): Promise<void> {
    return this.enqueue(() => this.refreshOne(name));
  }

  list(): FeedStatus[] {
    return [...this.state].map(([name, s]) => ({
      name,
      url: safeUrl(s.cfg.url),
      format: s.cfg.format,
      refresh_s: s.refreshS,
      size: snapshotSize(s.applied.entries),
      fetched_at: s.fetchedAt,
      applied_at: s.applied.appliedAt,
      next_at: s.nextAt,
      last_error: s.lastError,
      last_error_at: s.lastErrorAt,
      invalid: s.invalid,
      skipped_private: s.special,
      last_update: s.lastUpdate,
    }));
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.state.values()) clearTimeout(s.timer);
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.chain.then(job, job);
    this.chain = run.catch(() => {});
    return run;
  }

  private schedule(name: string, delayMs: number): void {
    const s = this.state.get(name)!;
    clearTimeout(s.timer);
    if (this.stopped) return;
    s.nextAt = Date.now() + delayMs;
    // After a failure the next attempt comes sooner (at most a minute), not a whole interval later.
    s.timer = setTimeout(() => void this.refresh(name).finally(() => this.schedule(name, (s.failed ? Math.min(s.refreshS, 60) : s.refreshS) * 1000)), delayMs);
  }

  private async refreshOne(name: string): Promise<void> {
    const s = this.state.get(name);
    if (!s || this.stopped) return;
    try {
      const f = await fetchSource(s.cfg.url, s.applied.validators, { maxBytes: s.cfg.max_bytes, timeoutMs: s.cfg.timeout_s * 1000, headers: s.cfg.headers });
      const fetchedAt = Date.now();
      if (f.changed) {
        const parsed = parseFeed(s.cfg.format, f.text, s.cfg.max_entries, s.cfg.ban_private);
        s.invalid = parsed.invalid;
        s.special = parsed.special;
        const { add, remove } = diffSnapshots(s.applied.entries, parsed.entries);
        // Another feed that still lists an address keeps it banned.
        const withdraw = remove.filter((a) => !this.listedElsewhere(name, a));
        let appliedAt = s.applied.appliedAt;
        if (add.length > 0 || withdraw.length > 0 || appliedAt === null) {
          const r = await this.send(name, fetchedAt, add, withdraw);
          s.lastUpdate = counts(r);
          appliedAt = r.at;
        }
        s.applied = { entries: parsed.entries, validators: f.validators, appliedAt };
        this.deps.store.save(name, s.applied);
      }
      s.fetchedAt = fetchedAt;
      s.lastError = null;
      s.failed = false;
    } catch (e) {
      s.failed = true;
      s.lastError = (e as Error).message.slice(0, 300);
      s.lastErrorAt = Date.now();
      if (this.gate.pass(`feed:${name}`) !== undefined) this.deps.logger.warn("feed refresh failed; the previous list stays in force", { feed: name, err: s.lastError });
    }
  }

  private async withdraw(name: string): Promise<void> {
    const applied = this.deps.store.load(name);
    const remove = [...snapshotEntries(applied.entries)].filter((a) => !this.listedElsewhere(name, a));
    try {
      await this.send(name, Date.now(), [], remove);
      this.deps.store.forget(name);
      this.deps.logger.info("feed no longer configured: its bans were lifted", { feed: name, entries: remove.length });
    } catch (e) {
      this.deps.logger.warn("cannot withdraw a feed no longer configured; will retry at the next start", { feed: name, err: (e as Error).message });
    }
  }

  private async send(name: string, at: number, add: string[], remove: string[]): Promise<FeedResult> {
    if (!(await this.enforcerReady())) throw new FeedError("FEED_APPLY", "enforcerd is not running (no health report); the update waits for it");
    const parts = feedParts(name, this.deps.nodeId, at, add, remove);
    // Generous: enforcerd writes a million rows and map entries in a few seconds (bench/feeds).
    const answer = this.deps.results.wait(parts[0]!.id, 15_000 + (add.length + remove.length) / 20);
    for (const p of parts) await this.deps.publish(p);
    const r = await answer;
    if (!r) throw new FeedError("FEED_APPLY", "enforcerd did not answer the update in time; it is sent again at the next refresh");
    if (r.outcome === "refused") throw new FeedError("FEED_APPLY", `enforcerd refused the update: ${r.detail}`);
    if (remove.length > 0) this.deps.onRemoved?.(remove, r.at);
    return r;
  }

  private async enforcerReady(): Promise<boolean> {
    for (let i = 0; i < 60 && !this.stopped; i++) {
      if (this.deps.enforcerUp()) return true;
      await Bun.sleep(500);
    }
    return false;
  }

  private listedElsewhere(name: string, address: string): boolean {
    for (const [other, s] of this.state) if (other !== name && snapshotHas(s.applied.entries, address)) return true;
    return false;
  }
}

function counts(r: FeedResult): NonNullable<FeedStatus["last_update"]> {
  const { added, merged, unchanged, removed, reduced, refused_allowlisted, refused_protected, refused_bad_address, refused_tombstoned, kernel_rejected } = r;
  return { added, merged, unchanged, removed, reduced, refused_allowlisted, refused_protected, refused_bad_address, refused_tombstoned, kernel_rejected };
}

/** Never show credentials an operator put into the URL. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === "file:" ? u.href : `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
