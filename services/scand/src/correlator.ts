import { context, type Context, type Tracer } from "@opentelemetry/api";
import { Counters } from "@honeymesh/bus/counters";
import { formatAddress, parseAddress } from "@honeymesh/net/address";
import type { AddressKind } from "@honeymesh/ban/address";
import type { AllowSet } from "@honeymesh/ban/allowlist";
import { evidence, type Evidence } from "@honeymesh/ban/evidence";
import { combineConfidence, type Confidence } from "@honeymesh/ban/confidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { BanChange } from "@honeymesh/schema/ban";
import { newWriteId, type Decision } from "@honeymesh/schema/decision";
import type { JailFailure } from "@honeymesh/schema/logd";
import type { SynObservation } from "@honeymesh/schema/syn";
import type { GuardObservation } from "@honeymesh/schema/guard";
import type { TrapHit, TrapSession } from "@honeymesh/schema/trap";
import type { ActiveBans } from "./active-bans.ts";
import type { DecisionQueue } from "./decision-queue.ts";
import { banTtlS } from "./escalation.ts";
import { Lru } from "./lru.ts";
import type { OffenceHistory } from "./offence-history.ts";
import { captureFindings } from "./rules/capture.ts";
import { credentialSpray } from "./rules/credential-spray.ts";
import { entropyAnomaly } from "./rules/entropy.ts";
import { lowAndSlow } from "./rules/low-and-slow.ts";
import { guardFinding } from "./rules/guard.ts";
import { jailFinding } from "./rules/jail.ts";
import type { SubnetAggregator } from "./rules/subnet.ts";
import type { Finding } from "./rules/types.ts";
import { verticalScan } from "./rules/vertical-scan.ts";
import { newSourceState, noteAttempts, notePorts, type SourceState } from "./source-state.ts";

export interface CorrelatorOptions {
  nodeId: string;
  portsThreshold: number;
  windowMs: number;
  trapTouch: boolean;
  trapTouchDelayMs: number;
  lowSlowPorts: number;
  lowSlowWindowMs: number;
  bruteforceAttempts: number;
  bruteforceWindowMs: number;
  entropyThreshold: number;
  entropyMinBytes: number;
  maxSources: number;
  ttl: { baseS: number; factor: number; maxS: number; jitter: number };
  /** `[scan] syn_only`: what unverified evidence may do (observe | local | ban). */
  synOnly: "observe" | "local" | "ban";
  /** `[scan] unverified_ttl_s`: the longest ban on unverified evidence alone (local). */
  unverifiedTtlS: number;
}

export interface CorrelatorDeps {
  allow: AllowSet;
  active: ActiveBans;
  history: OffenceHistory;
  subnets: SubnetAggregator;
  queue: DecisionQueue;
  tracer: Tracer;
}

/** Turns evidence (trap hits and sessions, kernel scan observations) into explained decisions. */
export class Correlator {
  readonly counters = new Counters<"allowlisted" | "already_banned" | "decided" | "decided_unverified" | "observed" | "bad_source">();
  private readonly sources: Lru<string, SourceState>;
  /** Sources whose trap touch alone will ban them at the due time (insertion = due order). */
  private readonly pendingTouch: Lru<string, { due: number; ctx: Context }>;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly o: CorrelatorOptions,
    private readonly deps: CorrelatorDeps,
  ) {
    this.sources = new Lru(o.maxSources);
    this.pendingTouch = new Lru(o.maxSources);
    this.sweeper = setInterval(() => this.sweepTouches(Date.now()), 250);
    this.sweeper.unref?.();
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  /** Bans the sources whose grace after a trap touch has run out. */
  sweepTouches(now: number): void {
    const due: [string, Context][] = [];
    for (const [src, p] of this.pendingTouch.entries()) {
      if (p.due > now) break;
      due.push([src, p.ctx]);
    }
    for (const [src, ctx] of due) {
      this.pendingTouch.delete(src);
      const s = this.sources.get(src);
      if (s?.touched) this.decide(src, [], ctx, "scand.trap_touch", s);
    }
  }

  get tracked(): number {
    return this.sources.size;
  }

  onHit(h: TrapHit, ctx: Context): void {
    const s = this.state(h.src);
    if (!s) return;
    notePorts(s, [h.dst_port], h.at, this.o.windowMs);
    // trapd sees only accepted connections: the handshake completed, the address is real.
    s.verifiedAt = Math.max(s.verifiedAt, h.at);
    if (this.o.trapTouch && !s.touched) {
      s.touched = evidence("trap", `TRAP: touched ${h.service} on port ${h.dst_port}`, { trap: h.service, ports: [h.dst_port] });
      // A grace period lets the trap record what the attacker tries before the ban cuts it off.
      if (this.o.trapTouchDelayMs > 0) this.pendingTouch.getOrCreate(h.src, () => ({ due: Date.now() + this.o.trapTouchDelayMs, ctx }));
    }
    const findings = [verticalScan(s, this.o.portsThreshold, h.at), lowAndSlow(s, [h.dst_port], h.at, this.o.lowSlowPorts, this.o.lowSlowWindowMs)];
    if (this.o.trapTouchDelayMs === 0 || findings.some(Boolean)) this.decide(h.src, findings, ctx, "scand.correlate_hit", s);
  }

  onSession(t: TrapSession, ctx: Context): void {
    const s = this.state(t.src);
    if (!s) return;
    noteAttempts(s, t.credentials.length, t.service, t.ended_at, this.o.bruteforceWindowMs);
    s.verifiedAt = Math.max(s.verifiedAt, t.ended_at);
    const sample = Buffer.from(t.payload_b64, "base64");
    const findings = [
      t.credentials.length > 0 ? credentialSpray(s, this.o.bruteforceAttempts) : undefined,
      entropyAnomaly(t.entropy, t.bytes_in, sample, { trap: t.service, port: t.dst_port }, this.o.entropyThreshold, this.o.entropyMinBytes),
      ...captureFindings(t),
    ];
    this.decide(t.src, findings, ctx, "scand.correlate_session", s);
  }

  onSyn(o: SynObservation, ctx: Context): void {
    // A source the fast path banned that scand knows nothing of has completed no handshake, so
    // its SYNs are unverified and the kernel's ban is all this policy would give them: no state is
    // kept for it (half a million of them in a storm; bench/storm).
    if (o.kernel_banned && this.o.synOnly === "local" && this.sources.get(o.src) === undefined) {
      this.counters.inc("already_banned");
      return;
    }
    const s = this.state(o.src);
    if (!s) return;
    notePorts(s, o.ports, o.at, this.o.windowMs);
    const shown = o.ports.slice(0, 12).join(",");
    // The kernel counts SYNs, which anyone can send with any source address (RFC 4987): unverified,
    // unless the same source also completed a handshake with a trap inside the window.
    const confidence: Confidence = o.at - s.verifiedAt <= this.o.windowMs ? "verified" : "unverified";
    // The summary says which class the observation is (what explain and `bans` show).
    const cls = confidence === "unverified" ? "; SYN only, unverified" : "; verified by a completed handshake";
    const kernel = o.port_count >= this.o.portsThreshold ? { reasons: REASONS.SCAN, evidence: evidence("scan", `SCAN: kernel saw ${o.port_count} ports (${shown}) within ${o.window_s} s${cls}`, { ports: o.ports.slice(0, 16), count: o.port_count, window_s: o.window_s }) } : undefined;
    const findings = [kernel ?? verticalScan(s, this.o.portsThreshold, o.at), lowAndSlow(s, o.ports, o.at, this.o.lowSlowPorts, this.o.lowSlowWindowMs)];
    // The fast path already banned it with what this policy gives SYN-only evidence (syn_only =
    // local: SCAN, unverified, the short TTL, no offence): a decision of ours would change nothing,
    // and in a storm it doubled enforcerd's work. Other reasons (low-and-slow) or verified evidence
    // still decide; with syn_only = ban scand decides anyway, to escalate.
    if (o.kernel_banned && confidence === "unverified" && this.o.synOnly === "local") this.deps.active.set(o.src, REASONS.SCAN, o.at + this.o.unverifiedTtlS * 1000, false);
    this.decide(o.src, findings.map((f) => f && { ...f, confidence }), ctx, "scand.correlate_syn", s);
  }

  /** logd: a jail reached maxretry; banned for the jail's bantime (escalated like every ban). */
  onJail(f: JailFailure, ctx: Context): void {
    // A log line of a real service rests on a completed handshake: verified evidence.
    this.verified(f.address, jailFinding(f), ctx, "scand.jail", { "hm.jail": f.jail }, f.bantime_s || undefined);
  }

  /** The kernel's connection guard reported a source (completed handshakes: verified). */
  onGuard(o: GuardObservation, ctx: Context): void {
    this.verified(o.src, guardFinding(o), ctx, "scand.guard", { "hm.port": o.port });
  }

  /** One finding on verified evidence about one address, decided at once (no per-source state). */
  private verified(address: string, found: Finding, ctx: Context, span: string, attrs: Record<string, string | number>, ttlS?: number): void {
    const t = parseAddress(address);
    if (!t.ok || !t.value.exact) {
      this.counters.inc("bad_source");
      return;
    }
    if (this.deps.allow.covers(t.value)) {
      this.counters.inc("allowlisted");
      return;
    }
    const src = formatAddress(t.value);
    if (this.deps.active.covers(src, found.reasons, Date.now(), true)) {
      this.counters.inc("already_banned");
      return;
    }
    this.deps.tracer.startActiveSpan(span, { attributes: { "hm.src": src, ...attrs, "hm.confidence": "verified" } }, ctx, (s) => {
      this.emit(src, "ip", found.reasons, [found.evidence], context.active(), "verified", ttlS);
      s.end();
    });
  }

  onBan(c: BanChange, ctx: Context): void {
    const address = c.address.text;
    if (c.change === "removed" || c.change === "expired") return this.deps.active.remove(address);
    this.deps.active.replace(address, c.reasons, c.expires_at, c.confidence === "verified");
    if (c.change !== "added" && c.change !== "extended") return;
    // enforcerd numbers offences (an unverified local ban does not raise the count; an upgrade to
    // verified does), so its number is recorded as it comes. Offence 0 (unverified) adds nothing
    // to the highest count kept, and a storm of fast-path bans must not fill the cache with zeros.
    if (c.offence > 0) this.deps.history.record(address, c.offence, c.at);
    // Only verified bans feed subnet aggregation: spoofed SYNs must not ban a whole prefix.
    if (c.change !== "added" || c.confidence !== "verified") return;
    const agg = this.deps.subnets.noteBan(address, c.reasons, c.at);
    if (agg) this.emit(agg.cidr, "cidr", agg.finding.reasons, [agg.finding.evidence], ctx);
  }

  private state(src: string): SourceState | undefined {
    const t = parseAddress(src);
    if (!t.ok || !t.value.exact) {
      this.counters.inc("bad_source");
      return undefined;
    }
    if (this.deps.allow.covers(t.value)) {
      this.counters.inc("allowlisted");
      return undefined;
    }
    return this.sources.getOrCreate(src, newSourceState);
  }

  /** Decides on what was found; a source that touched a trap gets TRAP with any other finding. */
  private decide(src: string, findings: (Finding | undefined)[], parent: Context, span: string, s: SourceState): void {
    const found = findings.filter((f): f is Finding => Boolean(f));
    // A touch alone decides when its grace ran out, or at once when there is no grace.
    const touchDue = span === "scand.trap_touch" || this.o.trapTouchDelayMs === 0;
    if (found.length === 0 && !(s.touched && touchDue)) return;
    if (s.touched) {
      found.push({ reasons: REASONS.TRAP, evidence: s.touched });
      s.touched = undefined;
      this.pendingTouch.delete(src);
    }
    const confidence = combineConfidence(found.map((f) => f.confidence ?? "verified"));
    // Mixed evidence is verified when any of it is: a completed handshake proves the source
    // address is real, so its SYNs are not spoofed either (DESIGN §3).
    if (confidence === "unverified" && this.o.synOnly === "observe") {
      this.counters.inc("observed");
      return;
    }
    const reasons = found.reduce((m, f) => m | f.reasons, 0);
    // What an interactive session captured (downloads, persistence) is new evidence even for a
    // banned source: the decision extends the ban and enforcerd merges the evidence into it.
    const news = found.some((f) => "news" in f && f.news);
    if (!news && this.deps.active.covers(src, reasons, Date.now(), confidence === "verified")) {
      this.counters.inc("already_banned");
      return;
    }
    this.deps.tracer.startActiveSpan(span, { attributes: { "hm.src": src, "hm.reasons": reasons, "hm.confidence": confidence } }, parent, (s) => {
      // The decision carries this span's context, so enforcerd's work continues the same trace.
      this.emit(src, "ip", reasons, found.map((f) => f.evidence), context.active(), confidence);
      s.end();
    });
  }

  private emit(address: string, kind: AddressKind, reasons: number, items: Evidence[], ctx: Context, confidence: Confidence = "verified", baseS = this.o.ttl.baseS): void {
    const prior = this.deps.history.count(address);
    // Unverified evidence (syn_only = local): a short ban, the same for every repeat.
    const short = confidence === "unverified" && this.o.synOnly !== "ban";
    const ttlS = short ? Math.min(this.o.unverifiedTtlS, baseS) : banTtlS(prior, baseS, this.o.ttl.factor, this.o.ttl.maxS, this.o.ttl.jitter);
    const now = Date.now();
    const d: Decision = { id: newWriteId("scand"), action: "ban", address: { kind, text: address }, reasons, ttl_s: ttlS, origin: this.o.nodeId, source: "scand", evidence: items.slice(0, 16), offence: short ? prior : prior + 1, confidence, at: now };
    // Assume it applied until enforcerd says otherwise: repeated evidence is one decision.
    this.deps.active.set(address, reasons, now + ttlS * 1000, confidence === "verified");
    this.counters.inc("decided");
    if (confidence === "unverified") this.counters.inc("decided_unverified");
    this.deps.queue.push(d, ctx);
  }
}
