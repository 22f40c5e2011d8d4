import { context, SpanStatusCode, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { Counters } from "@honeymesh/bus/counters";
import type { AllowSet } from "@honeymesh/net/allow-set";
import type { BanChange } from "@honeymesh/schema/ban";
import type { Decision } from "@honeymesh/schema/decision";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import type { KernelPort } from "../kernel-port.ts";
import type { BanRow, BanStore } from "../store/ban-store.ts";
import { validateDecision, type DecisionReject } from "./validate.ts";

export interface ApplierDeps {
  store: BanStore;
  kernel: () => KernelPort | undefined;
  allow: AllowSet;
  publish: (change: BanChange, ctx: Context) => Promise<void>;
  maxTtlS: number;
  tracer: Tracer;
  logger: Logger;
}

export function banChange(change: BanChange["change"], row: BanRow, at = Date.now()): BanChange {
  return { change, value: row.value, reasons: row.reasons, expires_at: row.expiresAt, origin: row.origin, offence: row.offence, evidence: row.evidence, at };
}

type KernelOp = { upsert: { target: string; reasons: number; expiresAtMs: number } } | { remove: string };
interface Outcome {
  change: BanChange;
  op: KernelOp;
}

/**
 * Decisions → store (committed first) → kernel maps → published ban changes. A batch of
 * decisions that arrived together is one SQLite transaction and one kernel batch write, which is
 * what keeps a scan storm from backing up the bus (bench/storm). Refusals are counted by reason
 * and logged at a bounded rate; none throws.
 */
export class DecisionApplier {
  readonly rejected = new Counters<DecisionReject | "kernel_write">();
  readonly applied = new Counters<"added" | "extended" | "unchanged" | "removed">();
  private readonly gate = new RateLimitedGate();

  constructor(private readonly deps: ApplierDeps) {}

  apply(d: Decision, parent: Context): Promise<void> {
    return this.applyBatch([{ d, ctx: parent }]);
  }

  async applyBatch(items: readonly { d: Decision; ctx: Context }[]): Promise<void> {
    const { tracer } = this.deps;
    const spans = items.map(({ d, ctx }) => tracer.startSpan("enforcerd.apply_decision", { attributes: { "hm.action": d.action, "hm.value": d.value, "hm.source": d.source } }, ctx));
    const outcomes: (Outcome | undefined)[] = [];
    try {
      this.deps.store.batch(() => {
        for (const { d } of items) outcomes.push(d.action === "ban" ? this.ban(d) : this.unban(d));
      });
    } catch (e) {
      for (const s of spans) s.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message }).end();
      throw e;
    }
    this.writeKernel(outcomes, spans);
    const sends: Promise<void>[] = [];
    outcomes.forEach((o, i) => {
      spans[i]!.setAttribute("hm.change", o?.change.change ?? "none");
      if (o) sends.push(this.deps.publish(o.change, items[i]!.ctx));
      spans[i]!.end();
    });
    await Promise.all(sends);
  }

  private ban(d: Decision): Outcome | undefined {
    const v = validateDecision(d, this.deps.maxTtlS);
    if (!v.ok) return this.refuse(v.reason, d.value, v.detail);
    if (this.deps.allow.covers(v.target)) return this.refuse("allowlisted", v.value, "target is on the allowlist");
    const tomb = this.deps.store.tombstoneAt(v.value);
    if (tomb !== undefined && d.at <= tomb) return this.refuse("tombstoned", v.value, `unbanned at ${tomb}, decision made at ${d.at}`);
    const now = Date.now();
    const expiresAt = v.ttlS === 0 ? 0 : now + v.ttlS * 1000;
    const { change, row } = this.deps.store.apply({ value: v.value, target: d.target, reasons: d.reasons, expiresAt, origin: d.origin, source: d.source, evidence: d.evidence, at: d.at }, now);
    this.applied.inc(change);
    if (change === "unchanged") return undefined;
    return { change: banChange(change, row, now), op: { upsert: { target: row.value, reasons: row.reasons, expiresAtMs: row.expiresAt } } };
  }

  private unban(d: Decision): Outcome | undefined {
    const v = validateDecision(d, this.deps.maxTtlS);
    if (!v.ok) return this.refuse(v.reason, d.value, v.detail);
    const removed = this.deps.store.remove(v.value, d.at, d.origin);
    this.applied.inc("removed");
    const row: BanRow = removed ?? { value: v.value, target: d.target, reasons: 0, expiresAt: 0, createdAt: d.at, updatedAt: d.at, origin: d.origin, source: d.source, offence: 0, evidence: [] };
    return { change: { ...banChange("removed", { ...row, origin: d.origin, evidence: d.evidence }, d.at), scope: d.scope ?? "global" }, op: { remove: v.value } };
  }

  /**
   * One kernel batch for the whole decision batch, in order. Kernel trouble never loses state:
   * the store has it, and reconcile repairs the maps. Each decision's trace gets its own
   * `enforcerd.kernel_map_write` span covering the shared write.
   */
  private writeKernel(outcomes: (Outcome | undefined)[], parents: Span[]): void {
    const kernel = this.deps.kernel();
    if (!kernel) return;
    const started = Date.now();
    // Consecutive upserts go together; a removal flushes them, so order is kept.
    let upserts: { target: string; reasons: number; expiresAtMs: number }[] = [];
    const flush = () => {
      if (upserts.length) this.kernelCall(() => kernel.upsertBans(upserts));
      upserts = [];
    };
    for (const o of outcomes) {
      if (!o) continue;
      if ("upsert" in o.op) upserts.push(o.op.upsert);
      else {
        flush();
        const target = o.op.remove;
        this.kernelCall(() => kernel.removeBans([target]));
      }
    }
    flush();
    const ended = Date.now();
    outcomes.forEach((o, i) => {
      if (!o) return;
      const span = this.deps.tracer.startSpan("enforcerd.kernel_map_write", { startTime: started, attributes: { "hm.batch": outcomes.length } }, trace.setSpan(context.active(), parents[i]!));
      span.end(ended);
    });
  }

  private kernelCall(write: () => { rejected: { reason: string }[] }): void {
    try {
      const out = write();
      if (out.rejected.length > 0) this.refuse("kernel_write", "", out.rejected[0]!.reason);
    } catch (e) {
      this.refuse("kernel_write", "", (e as Error).message);
    }
  }

  private refuse(reason: DecisionReject | "kernel_write", value: string, detail: string): undefined {
    this.rejected.inc(reason);
    const suppressed = this.gate.pass(reason);
    if (suppressed !== undefined) this.deps.logger.warn("decision refused", { reason, value: value.slice(0, 64), detail: detail.slice(0, 200), suppressed });
    return undefined;
  }
}
