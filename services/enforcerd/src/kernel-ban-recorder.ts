import type { Context } from "@opentelemetry/api";
import { ROOT_CONTEXT } from "@opentelemetry/api";
import { evidence } from "@honeymesh/ban/evidence";
import { isLive } from "@honeymesh/ban/liveness";
import { REASONS } from "@honeymesh/ban/reasons";
import { Counters } from "@honeymesh/bus/counters";
import { newWriteId, type Decision } from "@honeymesh/schema/decision";
import type { WriteResult } from "@honeymesh/schema/result";
import type { Logger } from "@honeymesh/telemetry/logger";
import type { KernelPort } from "./kernel-port.ts";
import type { BanStore } from "./store/ban-store.ts";

/** A ban the XDP fast path installed on its own (hm_scan.h), to be recorded in the store. */
export interface KernelMadeBan {
  address: string;
  /** Unix ms of the threshold crossing (or of adoption at start). */
  atMs: number;
  /** Unix ms when the kernel entry expires. */
  expiresAtMs: number;
  ports?: number[];
  portCount?: number;
  windowS?: number;
}

export interface RecorderDeps {
  store: BanStore;
  kernel: () => Pick<KernelPort, "removeBans"> | undefined;
  /** The decision applier: the one path into the store, so the allowlist, tombstones and the protected set apply. */
  apply: (items: { d: Decision; ctx: Context }[]) => Promise<WriteResult[]>;
  nodeId: string;
  logger: Logger;
}

const BATCH = 2_000;
const MAX_PENDING = 100_000;

/** The evidence a fast-path ban rests on: SYNs only, whose source address can be spoofed (RFC 4987 §2). */
export const FAST_PATH_EVIDENCE = "kernel fast path, SYN-only";

/**
 * Userspace stays the single writer of the ban store: a ban the kernel made is recorded as a
 * decision like any other (reason SCAN, confidence unverified, source "kernel", origin this node,
 * the remaining TTL), which also clears the entry's kernel-made flag when enforcerd rewrites it. A refused one (the
 * address is allowlisted, protected or tombstoned in the store's view) is taken out of the kernel
 * again, unless the store holds a live ban for it: the kernel is never stricter than the store.
 */
export class KernelBanRecorder {
  readonly counts = new Counters<"recorded" | "refused" | "lifted" | "expired_skipped" | "failed">();

  private pending: { ban: KernelMadeBan; ctx: Context; done: () => void }[] = [];
  private scheduled = false;

  constructor(private readonly deps: RecorderDeps) {}

  /**
   * Records one fast-path ban together with every other that arrives before the event loop turns:
   * a storm of threshold crossings is one store transaction and one result message per batch, not
   * one per source (bench/storm). Bounded: past MAX_PENDING a ban is left to the start-up adoption.
   */
  recordSoon(ban: KernelMadeBan, ctx: Context = ROOT_CONTEXT): Promise<void> {
    if (this.pending.length >= MAX_PENDING) {
      this.counts.inc("failed");
      return Promise.resolve();
    }
    return new Promise((done) => {
      this.pending.push({ ban, ctx, done });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length) {
      const batch = this.pending.splice(0, BATCH);
      // One trace context per batch: the first crossing's (each event keeps its own relay span).
      await this.record(batch.map((p) => p.ban), batch[0]!.ctx);
      for (const p of batch) p.done();
    }
  }

  async record(bans: readonly KernelMadeBan[], ctx: Context = ROOT_CONTEXT): Promise<WriteResult[]> {
    const now = Date.now();
    const live = bans.filter((b) => b.expiresAtMs > now);
    if (live.length < bans.length) this.counts.inc("expired_skipped", bans.length - live.length);
    if (live.length === 0) return [];
    const items = live.map((b) => ({ d: this.decision(b, now), ctx }));
    let results: WriteResult[];
    try {
      results = await this.deps.apply(items);
    } catch (e) {
      this.counts.inc("failed", live.length);
      this.deps.logger.warn("recording kernel fast-path bans failed; the next start adopts them", { err: e as Error });
      return [];
    }
    const undo: string[] = [];
    results.forEach((r, i) => {
      if (r.outcome !== "refused") return this.counts.inc("recorded");
      const address = live[i]!.address;
      const row = this.deps.store.get(address);
      if (!row || !isLive(row.expiresAt, now)) undo.push(address);
      this.counts.inc("refused");
      this.deps.logger.info("kernel fast-path ban refused by the store", { address, refusal: r.refusal, detail: r.detail });
    });
    if (undo.length) {
      this.counts.inc("lifted", undo.length);
      try {
        this.deps.kernel()?.removeBans(undo);
      } catch (e) {
        this.deps.logger.warn("lifting refused fast-path bans failed; reconcile retries at start", { err: e as Error });
      }
    }
    return results;
  }

  private decision(b: KernelMadeBan, now: number): Decision {
    const ports = (b.ports ?? []).slice(0, 16);
    const summary = `${FAST_PATH_EVIDENCE}: ${b.portCount ?? ports.length} ports${ports.length ? ` (${ports.join(",")})` : ""}${b.windowS ? ` within ${b.windowS} s` : ""}`;
    return {
      id: newWriteId("kernel"),
      action: "ban",
      address: { kind: "ip", text: b.address },
      reasons: REASONS.SCAN,
      ttl_s: Math.max(1, Math.ceil((b.expiresAtMs - now) / 1000)),
      origin: this.deps.nodeId,
      source: "kernel",
      evidence: [evidence("scan", summary, { ports, ...(b.portCount ? { count: b.portCount } : {}), ...(b.windowS ? { window_s: b.windowS } : {}) })],
      offence: 0,
      // SYNs only: the source address may be spoofed (graded evidence: a short local ban, never shared).
      confidence: "unverified",
      at: b.atMs,
    };
  }
}
