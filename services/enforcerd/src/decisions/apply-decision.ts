import { context, SpanStatusCode, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { Counters } from "@honeymesh/bus/counters";
import type { AllowSet } from "@honeymesh/ban/allowlist";
import { reasonNames } from "@honeymesh/ban/reasons";
import type { BanChange } from "@honeymesh/schema/ban";
import type { Decision } from "@honeymesh/schema/decision";
import type { WriteResult } from "@honeymesh/schema/result";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import type { KernelPort } from "../kernel-port.ts";
import type { BanAddress } from "@honeymesh/ban/address";
import type { BanRow, BanStore } from "../store/ban-store.ts";
import { banChange, banState, coveringPrefixes, describeCover } from "./ban-views.ts";
import { validateDecision, type DecisionReject } from "./validate.ts";
import { isLive } from "@honeymesh/ban/liveness";
import type { Confidence } from "@honeymesh/ban/confidence";
import type { ProtectedSet } from "../protected/protected-set.ts";
import { unverifiedPolicy, type SynOnly } from "./unverified-policy.ts";

export interface ApplierDeps {
  store: BanStore;
  kernel: () => KernelPort | undefined;
  allow: AllowSet;
  publish: (change: BanChange, ctx: Context) => Promise<void>;
  /** Results of a batch, in order; the caller sends them as batches on `hm/v1/enforcerd/result`. */
  results: (results: WriteResult[]) => Promise<void>;
  maxTtlS: number;
  /** The node's protected set; automatic decisions (scand, meshd) never touch it. */
  protect?: ProtectedSet;
  /** `[scan] syn_only` and `unverified_ttl_s`: what unverified evidence may do here. */
  unverified?: { synOnly: SynOnly; ttlS: number };
  tracer: Tracer;
  logger: Logger;
}

type KernelOp = { upsert: { address: string; reasons: number; expiresAtMs: number } } | { remove: string };
interface Outcome {
  result: WriteResult;
  change?: BanChange;
  op?: KernelOp;
}

/**
 * Decisions → store (committed first) → kernel maps → published ban changes and one typed result
 * per decision. A batch of decisions that arrived together is one SQLite transaction and one
 * kernel batch write, which is what keeps a scan storm from backing up the bus (bench/storm).
 * Refusals are results with a code, counted and logged at a bounded rate; none throws.
 */
export class DecisionApplier {
  readonly rejected = new Counters<DecisionReject | "kernel_write">();
  readonly applied = new Counters<"added" | "extended" | "unchanged" | "kept" | "removed">();
  private readonly gate = new RateLimitedGate();

  constructor(private readonly deps: ApplierDeps) {}

  apply(d: Decision, parent: Context): Promise<WriteResult[]> {
    return this.applyBatch([{ d, ctx: parent }]);
  }

  /**
   * `answer`: publish the results for the producers waiting on them. The kernel's own bans
   * (KernelBanRecorder) have no producer on the bus to answer, and a storm records hundreds of
   * thousands of them.
   */
  async applyBatch(items: readonly { d: Decision; ctx: Context }[], answer = true): Promise<WriteResult[]> {
    const { tracer } = this.deps;
    const spans = items.map(({ d, ctx }) => tracer.startSpan("enforcerd.apply_decision", { attributes: { "hm.action": d.action, "hm.address": d.address.text, "hm.source": d.source } }, ctx));
    const outcomes: Outcome[] = [];
    const now = Date.now();
    try {
      this.deps.store.batch(() => {
        for (const { d } of items) outcomes.push(d.action === "ban" ? this.ban(d, now) : this.unban(d, now));
      });
    } catch (e) {
      for (const s of spans) s.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message }).end();
      throw e;
    }
    this.writeKernel(outcomes, spans);
    const sends: Promise<void>[] = [];
    outcomes.forEach((o, i) => {
      spans[i]!.setAttribute("hm.outcome", o.result.outcome);
      if (o.change) sends.push(this.deps.publish(o.change, items[i]!.ctx));
      spans[i]!.end();
    });
    const results = outcomes.map((o) => o.result);
    if (answer) sends.push(this.deps.results(results));
    await Promise.all(sends);
    return results;
  }

  private ban(d: Decision, now: number): Outcome {
    const v = validateDecision(d, this.deps.maxTtlS);
    if (!v.ok) return this.refuse(d, v.reason, v.detail);
    const allowed = this.deps.allow.coverer(v.parsed);
    if (allowed) return this.refuse(d, "allowlisted", `${v.address.text} is on the allowlist (${allowed.text}, ${allowed.source})`);
    const confidence: Confidence = d.confidence ?? "verified";
    // The operator (apid: CLI, API, fail2ban action) is bound by the allowlist only.
    const automatic = d.source !== "apid";
    if (automatic && this.deps.protect) {
      const p = this.deps.protect.protects(v.parsed, confidence);
      if (p) return this.refuse(d, "protected", `${v.address.text} is protected (${p.text}, ${p.source})${p.source === "session" ? ": it holds an established connection to this node, and this decision rests on unverified evidence only" : ": automatic decisions never touch it"}`);
    }
    const policy = automatic && confidence === "unverified" ? unverifiedPolicy(this.deps.unverified, v.ttlS) : { ttlS: v.ttlS, counts: true, refuse: false };
    if (policy.refuse) return this.refuse(d, "observe_only", `${v.address.text}: unverified evidence is only observed here ([scan] syn_only = "observe")`);
    const tomb = this.deps.store.tombstoneAt(v.address.text);
    if (tomb !== undefined && d.at <= tomb) return this.refuse(d, "tombstoned", `${v.address.text} was unbanned at ${new Date(tomb).toISOString()}, after this decision was made (${new Date(d.at).toISOString()})`);
    const expiresAt = policy.ttlS === 0 ? 0 : now + policy.ttlS * 1000;
    const { change, row } = this.deps.store.apply({ address: v.address.text, kind: v.address.kind, reasons: d.reasons, expiresAt, origin: d.origin, source: d.source, evidence: d.evidence, at: d.at, confidence, counts: policy.counts }, now);
    this.applied.inc(change);
    const ban = banState(row);
    const until = row.expiresAt === 0 ? "permanently" : `until ${new Date(row.expiresAt).toISOString()}`;
    const on = `on ${row.confidence} evidence`;
    const detail =
      change === "added"
        ? `banned ${ban.address.text} for ${reasonNames(row.reasons).join(",")} ${until} ${on}`
        : change === "extended"
          ? `${ban.address.text} stays banned, now for ${reasonNames(row.reasons).join(",")} ${until} ${on}`
          : `${ban.address.text} was already banned for ${reasonNames(row.reasons).join(",")} ${until} ${on}; nothing changed${row.confidence === "verified" && confidence === "unverified" ? " (unverified evidence never extends a verified ban)" : ""}`;
    const result: WriteResult = { id: d.id, write: "decision", outcome: change, detail, address: ban.address, ban, at: now };
    if (change === "unchanged") return { result };
    return { result, change: banChange(change, row, now), op: { upsert: { address: row.address, reasons: row.reasons, expiresAtMs: row.expiresAt } } };
  }

  /**
   * A full unban (reasons 0) removes the ban and leaves a tombstone; an unban naming reasons lifts
   * only those (Fail2Ban's unban of its EXTERNAL ban leaves a ban HoneyMesh holds for a trap).
   * Either way the result names the prefix bans that still drop the address.
   */
  private unban(d: Decision, now: number): Outcome {
    const v = validateDecision(d, this.deps.maxTtlS);
    if (!v.ok) return this.refuse(d, v.reason, v.detail);
    const text = v.address.text;
    const existing = this.deps.store.get(text);
    const live = existing && isLive(existing.expiresAt, now) ? existing : undefined;
    const covered_by = coveringPrefixes(this.deps.store, v.parsed, text, now);
    const cover = describeCover(covered_by);
    if (d.source === "meshd") {
      const kept = this.peerUnban(d, v.address, live, cover, now);
      if (kept) return kept;
    }
    if (d.reasons !== 0 && live && (live.reasons & ~d.reasons) !== 0) {
      const lifted = live.reasons & d.reasons;
      const row = lifted ? this.deps.store.reduce(text, lifted, now)! : live;
      this.applied.inc("kept");
      const names = reasonNames(row.reasons).join(",");
      const result: WriteResult = { id: d.id, write: "decision", outcome: "kept", detail: `${text} is still banned for ${names}${lifted ? "" : ` (it was not banned for ${reasonNames(d.reasons).join(",")})`}${cover}`, address: v.address, ban: banState(row), covered_by, at: now };
      if (!lifted) return { result };
      return { result, change: banChange("reduced", row, now), op: { upsert: { address: text, reasons: row.reasons, expiresAtMs: row.expiresAt } } };
    }
    const removed = this.deps.store.remove(text, d.at, d.origin);
    const was = removed !== undefined && isLive(removed.expiresAt, now);
    this.applied.inc(was ? "removed" : "unchanged");
    const detail = was ? `unbanned ${text}${cover}` : `${text} was not banned${cover}`;
    const result: WriteResult = { id: d.id, write: "decision", outcome: was ? "removed" : "unchanged", detail, address: v.address, covered_by, at: now };
    // The change goes out even when nothing was banned here: a global unban still travels the mesh.
    const row = removed ?? { address: text, kind: v.address.kind, reasons: 0, expiresAt: 0, createdAt: d.at, updatedAt: d.at, origin: d.origin, source: d.source, offence: 0, evidence: [], confidence: "verified" as const };
    const change: BanChange = { ...banChange("removed", { ...row, origin: d.origin, evidence: d.evidence }, d.at), scope: d.scope ?? "global" };
    return { result, change, op: { remove: text } };
  }

  /**
   * A peer's unban (relayed by meshd) lifts only a ban of that peer's own origin: never a local
   * or operator ban, never another peer's. A peer holding the cluster key is not trusted to undo
   * what others decided. With no ban here it leaves no tombstone either (meshd's live set already
   * orders that origin's own facts), so it cannot pre-empt a ban another origin decided earlier.
   * Undefined = the unban goes ahead.
   */
  private peerUnban(d: Decision, address: BanAddress, live: BanRow | undefined, cover: string, now: number): Outcome | undefined {
    if (!live) {
      this.applied.inc("unchanged");
      return { result: { id: d.id, write: "decision", outcome: "unchanged", detail: `${address.text} was not banned${cover}`, address, at: now } };
    }
    if (live.origin === d.origin) return undefined;
    this.applied.inc("kept");
    const by = live.source === "meshd" ? `peer ${live.origin}` : `this node (${live.origin}, ${live.source})`;
    const detail = `${address.text} was banned by ${by}; an unban from peer ${d.origin} lifts only that peer's own bans${cover}`;
    return { result: { id: d.id, write: "decision", outcome: "kept", detail: detail.slice(0, 512), address, ban: banState(live), at: now } };
  }

  /**
   * One kernel batch for the whole decision batch, in order. Kernel trouble never loses state:
   * the store has it, and reconcile repairs the maps. Each decision's trace gets its own
   * `enforcerd.kernel_map_write` span covering the shared write.
   */
  private writeKernel(outcomes: Outcome[], parents: Span[]): void {
    const kernel = this.deps.kernel();
    if (!kernel) return;
    const started = Date.now();
    // Consecutive upserts go together; a removal flushes them, so order is kept.
    let upserts: { address: string; reasons: number; expiresAtMs: number }[] = [];
    const flush = () => {
      if (upserts.length) this.kernelCall(() => kernel.upsertBans(upserts));
      upserts = [];
    };
    for (const o of outcomes) {
      if (!o.op) continue;
      if ("upsert" in o.op) upserts.push(o.op.upsert);
      else {
        flush();
        const address = o.op.remove;
        this.kernelCall(() => kernel.removeBans([address]));
      }
    }
    flush();
    const ended = Date.now();
    outcomes.forEach((o, i) => {
      if (!o.op) return;
      const span = this.deps.tracer.startSpan("enforcerd.kernel_map_write", { startTime: started, attributes: { "hm.batch": outcomes.length } }, trace.setSpan(context.active(), parents[i]!));
      span.end(ended);
    });
  }

  private kernelCall(write: () => { rejected: { reason: string }[] }): void {
    try {
      const out = write();
      if (out.rejected.length > 0) this.count("kernel_write", "", out.rejected[0]!.reason);
    } catch (e) {
      this.count("kernel_write", "", (e as Error).message);
    }
  }

  private refuse(d: Decision, reason: DecisionReject, detail: string): Outcome {
    this.count(reason, d.address.text, detail);
    return { result: { id: d.id, write: "decision", outcome: "refused", refusal: reason, detail: detail.slice(0, 512), at: Date.now() } };
  }

  private count(reason: DecisionReject | "kernel_write", address: string, detail: string): void {
    this.rejected.inc(reason);
    const suppressed = this.gate.pass(reason);
    if (suppressed !== undefined) this.deps.logger.warn("decision refused", { reason, address: address.slice(0, 64), detail: detail.slice(0, 200), suppressed });
  }
}
