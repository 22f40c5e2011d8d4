import type { BusClient } from "@honeymesh/bus/client";
import { AllowSet } from "@honeymesh/net/allow-set";
import { formatTarget, parseTarget, type Target } from "@honeymesh/net/address";
import type { BanChange } from "@honeymesh/schema/ban";
import type { Decision } from "@honeymesh/schema/decision";
import { REASONS } from "@honeymesh/schema/reasons";
import type { BanWaiter } from "../live/ban-waiter.ts";
import type { HealthBoard } from "../live/health-board.ts";
import type { MetricsBoard } from "../live/metrics-board.ts";
import type { BanReader, BanView } from "../read/ban-reader.ts";
import { newRefusal, REFUSAL_TEXT, refusalCounts } from "./refusals.ts";

export type WriteOutcome =
  | { kind: "done"; status: 200 | 201; body: unknown }
  | { kind: "pending"; body: unknown }
  | { kind: "refused"; status: 400 | 404 | 409; detail: string; field?: string; reason?: string };

export interface ManualDeps {
  bus: BusClient;
  nodeId: string;
  waiter: BanWaiter;
  reader: BanReader;
  board: HealthBoard;
  /** enforcerd's refusal counters, read before and after a write. */
  metrics: MetricsBoard;
  /** Entries enforcerd always allows: the system's and the config file's. */
  fixedAllow: readonly string[];
  timeoutMs: number;
}

export function canonical(value: string): { ok: true; target: Target; value: string } | { ok: false; detail: string } {
  const t = parseTarget(value);
  return t.ok ? { ok: true, target: t.value, value: formatTarget(t.value) } : { ok: false, detail: t.reason };
}

const laterExpiry = (a: number, b: number) => (a === 0 || b === 0 ? 0 : Math.max(a, b));

/**
 * Operator bans and unbans: validated here (a 400 that names the field), published as decisions
 * on `hm/v1/apid/decision`, applied by enforcerd, and answered with enforcerd's actual result
 * (its BanChange), waited for at most `timeoutMs`.
 */
export class ManualBans {
  constructor(private readonly d: ManualDeps) {}

  allowSet(): AllowSet {
    const set = new AllowSet();
    set.add(this.d.fixedAllow);
    set.add(this.d.reader.allowEntries().map((e) => e.cidr));
    return set;
  }

  async ban(input: { value: string; ttlS: number; reasons: number; evidence: string[] }, mode: "ban" | "extend" = "ban"): Promise<WriteOutcome> {
    const c = canonical(input.value);
    if (!c.ok) return { kind: "refused", status: 400, field: "value", detail: c.detail };
    if (this.allowSet().covers(c.target)) return { kind: "refused", status: 409, reason: "allowlisted", detail: `${c.value}: ${REFUSAL_TEXT.allowlisted}` };
    const now = Date.now();
    const existing = this.d.reader.get(c.value);
    const live = existing && (existing.expires_at === 0 || existing.expires_at > now) ? existing : undefined;
    if (mode === "extend" && !live) return { kind: "refused", status: 404, detail: `${c.value} is not banned` };
    const expiresAt = input.ttlS === 0 ? 0 : now + input.ttlS * 1000;
    if (live) {
      const merged = laterExpiry(live.expires_at, expiresAt);
      if (mode === "extend" && merged === live.expires_at && expiresAt !== live.expires_at && input.ttlS !== 0)
        return { kind: "refused", status: 409, detail: `${c.value} already expires later (${new Date(live.expires_at).toISOString()}); a ban can only be extended: unban and ban again to shorten it` };
      // Nothing would change: enforcerd would publish nothing, so answer from the store.
      if ((live.reason_mask | input.reasons) === live.reason_mask && merged === live.expires_at) return { kind: "done", status: 200, body: { change: "unchanged", ban: live } };
    }
    const decision: Decision = {
      action: "ban",
      target: c.target.exact ? "ip" : "cidr",
      value: c.value,
      reasons: input.reasons,
      ttl_s: input.ttlS,
      origin: this.d.nodeId,
      source: "apid",
      evidence: input.evidence,
      offence: 0,
      at: now,
    };
    const result = await this.publishAndWait(decision, (ch) => (ch.change === "added" || ch.change === "extended") && ch.at >= now);
    if (result.change) {
      const ban = this.d.reader.get(c.value) ?? fromChange(result.change, decision);
      return { kind: "done", status: result.change.change === "added" ? 201 : 200, body: { change: result.change.change, ban } };
    }
    return this.unconfirmed(decision, result.refusalsBefore, (b) => b.updated_at >= now);
  }

  async unban(value: string, scope: "global" | "local", reasons: number, evidence: string[]): Promise<WriteOutcome> {
    const c = canonical(value);
    if (!c.ok) return { kind: "refused", status: 400, field: "value", detail: c.detail };
    const at = Date.now();
    // An imported unban (Fail2Ban's) ends only what was imported: a ban HoneyMesh holds for its
    // own reasons too (a trap, a scan) stays.
    if (reasons === REASONS.EXTERNAL) {
      const live = this.d.reader.get(c.value);
      if (live && (live.expires_at === 0 || live.expires_at > at) && (live.reason_mask & ~REASONS.EXTERNAL) !== 0)
        return { kind: "done", status: 200, body: { change: "kept", value: c.value, detail: `banned for ${live.reasons.join(",")} too; an EXTERNAL unban leaves it`, ban: live } };
    }
    const decision: Decision = { action: "unban", target: c.target.exact ? "ip" : "cidr", value: c.value, reasons, ttl_s: 0, origin: this.d.nodeId, source: "apid", evidence, offence: 0, at, scope };
    const result = await this.publishAndWait(decision, (ch) => ch.change === "removed" && ch.at === at);
    if (result.change) return { kind: "done", status: 200, body: { change: "removed", value: c.value, scope, was_banned: result.change.reasons !== 0 } };
    return this.unconfirmed(decision, result.refusalsBefore, () => false);
  }

  private async publishAndWait(decision: Decision, match: (c: BanChange) => boolean): Promise<{ change?: BanChange; refusalsBefore: Record<string, number> }> {
    const refusalsBefore = refusalCounts(this.d.metrics.get("enforcerd"));
    const w = this.d.waiter.wait(decision.value, match, this.d.timeoutMs);
    await this.d.bus.publish("decision", decision);
    return { change: await w.promise, refusalsBefore };
  }

  /** No BanChange in time: the store may still show it applied; else a counted refusal; else pending. */
  private unconfirmed(decision: Decision, before: Record<string, number>, applied: (b: BanView) => boolean): WriteOutcome {
    const ban = this.d.reader.get(decision.value);
    if (ban && applied(ban)) return { kind: "done", status: 200, body: { change: "applied", ban } };
    const reason = newRefusal(before, refusalCounts(this.d.metrics.get("enforcerd")));
    if (reason) return { kind: "refused", status: 409, reason, detail: `${decision.value}: ${REFUSAL_TEXT[reason] ?? reason}` };
    const up = this.d.board.up("enforcerd");
    return {
      kind: "pending",
      body: {
        status: "pending",
        value: decision.value,
        detail: up ? `enforcerd has not confirmed within ${this.d.timeoutMs} ms; the decision is queued` : "enforcerd is not running; the decision is queued on the bus and applies when it starts",
      },
    };
  }
}

function fromChange(c: BanChange, d: Decision): BanView {
  return { value: c.value, target: d.target, reasons: [], reason_mask: c.reasons, expires_at: c.expires_at, created_at: c.at, updated_at: c.at, origin: c.origin, source: "apid", offence: c.offence, evidence: c.evidence };
}

export const MANUAL = REASONS.MANUAL;
