import { SpanStatusCode, type Context, type Tracer } from "@opentelemetry/api";
import { Counters } from "@honeymesh/bus/counters";
import type { BanChange } from "@honeymesh/schema/ban";
import type { Decision } from "@honeymesh/schema/decision";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import type { AllowSet } from "@honeymesh/net/allow-set";
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

/**
 * One decision → store (committed first) → kernel maps → a published ban change.
 * Refusals are counted by reason and logged at a bounded rate; none throws.
 */
export class DecisionApplier {
  readonly rejected = new Counters<DecisionReject | "kernel_write">();
  readonly applied = new Counters<"added" | "extended" | "unchanged" | "removed">();
  private readonly gate = new RateLimitedGate();

  constructor(private readonly deps: ApplierDeps) {}

  async apply(d: Decision, parent: Context): Promise<void> {
    const { tracer } = this.deps;
    await tracer.startActiveSpan("enforcerd.apply_decision", { attributes: { "hm.action": d.action, "hm.value": d.value, "hm.source": d.source } }, parent, async (span) => {
      try {
        const outcome = d.action === "ban" ? this.ban(d) : this.unban(d);
        if (outcome) {
          span.setAttribute("hm.change", outcome.change);
          await this.deps.publish(outcome, parent);
        }
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
        throw e;
      } finally {
        span.end();
      }
    });
  }

  private ban(d: Decision): BanChange | undefined {
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
    this.writeKernel(() => this.deps.kernel()?.upsertBans([{ target: row.value, reasons: row.reasons, expiresAtMs: row.expiresAt }]));
    return banChange(change, row, now);
  }

  private unban(d: Decision): BanChange | undefined {
    const v = validateDecision(d, this.deps.maxTtlS);
    if (!v.ok) return this.refuse(v.reason, d.value, v.detail);
    const removed = this.deps.store.remove(v.value, d.at, d.origin);
    this.writeKernel(() => this.deps.kernel()?.removeBans([v.value]));
    this.applied.inc("removed");
    const row: BanRow = removed ?? { value: v.value, target: d.target, reasons: 0, expiresAt: 0, createdAt: d.at, updatedAt: d.at, origin: d.origin, source: d.source, offence: 0, evidence: [] };
    return { ...banChange("removed", { ...row, origin: d.origin, evidence: d.evidence }, d.at), scope: d.scope ?? "global" };
  }

  /** Kernel trouble never loses state: the store has it, and reconcile repairs the maps. */
  private writeKernel(write: () => { rejected: { reason: string }[] } | undefined): void {
    // Its own span: the last hop of a ban's trace (trap hit or kernel observation → map write).
    this.deps.tracer.startActiveSpan("enforcerd.kernel_map_write", (span) => {
      try {
        const out = write();
        if (out && out.rejected.length > 0) this.refuse("kernel_write", "", out.rejected[0]!.reason);
      } catch (e) {
        this.refuse("kernel_write", "", (e as Error).message);
      } finally {
        span.end();
      }
    });
  }

  private refuse(reason: DecisionReject | "kernel_write", value: string, detail: string): undefined {
    this.rejected.inc(reason);
    const suppressed = this.gate.pass(reason);
    if (suppressed !== undefined) this.deps.logger.warn("decision refused", { reason, value: value.slice(0, 64), detail: detail.slice(0, 200), suppressed });
    return undefined;
  }
}
