import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { SpanStatusCode, trace, type Context, type Tracer } from "@opentelemetry/api";
import { Counters } from "@honeymesh/bus/counters";
import type { Decision } from "@honeymesh/schema/decision";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import { contextFromTraceparent } from "@honeymesh/telemetry/traceparent";
import type { ClusterSettings, MeshSettings } from "../config/mesh-settings.ts";
import { isProofWire, openAny, openBatch, sealBatch } from "../facts/batch.ts";
import { openFact } from "../facts/codec.ts";
import { FactSet, type Entry } from "../facts/fact-set.ts";
import { differing, rangeDigests } from "../facts/ranges.ts";
import type { Fact } from "../facts/fact.ts";
import type { IdentityKey } from "../keys/identity.ts";
import { admit, decide, type Admission, type Arrival } from "../policy/admit.ts";
import type { MeshAllowlist } from "../policy/allowlist.ts";
import { Penalties } from "../policy/penalties.ts";
import { RateLimiter } from "../policy/rate-limit.ts";
import { trustLabel, type TrustMap } from "../policy/trust.ts";
import type { FactTable, PeerBook } from "../store/peer-book.ts";
import { InboundGuard } from "./inbound-guard.ts";
import { createMeshNode, INBOUND_PENDING_PER_SOURCE, INBOUND_UPGRADE_TIMEOUT_MS, type MeshNode } from "./libp2p-node.ts";
import { Outbox } from "./outbox.ts";
import { Redialer } from "./redial.ts";
import { WireMeter } from "./wire-meter.ts";
import { gossipParams } from "./gossip-params.ts";
import { requestSync, serveSync, SYNC_PROTOCOL, SYNC_PROTOCOL_V1 } from "./sync.ts";

export interface ClusterDeps {
  cluster: ClusterSettings;
  mesh: MeshSettings;
  identity: IdentityKey;
  nodeId: string;
  psk: Uint8Array;
  trust: TrustMap;
  allow: MeshAllowlist;
  book: PeerBook;
  facts: FactTable;
  emit(d: Decision, ctx: Context): Promise<void>;
  tracer: Tracer;
  logger: Logger;
}

export type Outcome = "decided" | "allowlisted" | "observed" | "waiting" | "expired" | "emit_failed";

/** Gossip brought a new fact this recently: the node is busy (anti-entropy waits). */
const SYNC_BUSY_MS = 3_000;
/** At most this many sync intervals pass without a periodic exchange. */
const SYNC_DEFER_MAX = 4;

const ipOf = (addr: string) => /^\/ip[46]\/([^/]+)/.exec(addr)?.[1];

/** One cluster: its libp2p node, gossip topic, live set, anti-entropy and peer policing. */
export class MeshCluster {
  /** Wire v2: signed batches of facts (what this node publishes). */
  readonly topic: string;
  /** Wire v1: one signed fact per message; still accepted, so nodes not yet upgraded are heard. */
  readonly topicV1: string;
  readonly set: FactSet;
  /** Facts of peers not named in peer_trust (or named observe): kept apart, never persisted. */
  readonly observed: FactSet;
  readonly rejected = new Counters<string>();
  readonly ignored = new Counters<string>();
  readonly outcomes = new Counters<Outcome>();
  readonly sync = new Counters<"requested" | "received" | "served" | "failed">();
  readonly shared = new Counters<"ban" | "unban">();
  private readonly limiter: RateLimiter;
  private readonly cidrLimiter: RateLimiter;
  /** Bytes of batches per origin: batching buys no more bandwidth than v1's worst case. */
  private readonly byteLimiter: RateLimiter;
  readonly outbox: Outbox;
  /** Bytes per libp2p protocol on this cluster's connections. */
  readonly meter = new WireMeter();
  readonly inbound = new InboundGuard(INBOUND_PENDING_PER_SOURCE, INBOUND_UPGRADE_TIMEOUT_MS);
  private readonly syncBudget = new RateLimiter(1, 5);
  private readonly penalties = new Penalties();
  private readonly gate = new RateLimitedGate();
  private readonly syncing = new Set<string>();
  private node!: MeshNode;
  private redial!: Redialer;
  private timers: ReturnType<typeof setInterval>[] = [];
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  /** When gossip last brought a new fact, and when the last periodic anti-entropy ran. */
  private lastGossipAt = -Infinity;
  private lastSyncAt = performance.now();
  private stopped = false;
  readonly peerId: string;

  constructor(private readonly d: ClusterDeps) {
    this.topicV1 = `/honeymesh/${d.cluster.name}/decisions/1`;
    this.topic = `/honeymesh/${d.cluster.name}/decisions/2`;
    this.set = new FactSet(d.mesh.ttlCapS * 1000, d.mesh.maxFacts, d.facts);
    this.observed = new FactSet(d.mesh.ttlCapS * 1000, d.mesh.observeMaxFacts);
    this.limiter = new RateLimiter(d.mesh.ratePerS, d.mesh.rateBurst);
    this.cidrLimiter = new RateLimiter(d.mesh.cidrRatePerS, d.mesh.cidrRateBurst);
    this.byteLimiter = new RateLimiter(d.mesh.ratePerS * d.mesh.maxMessageBytes, Math.max(d.mesh.rateBurst * d.mesh.maxMessageBytes, d.mesh.batchMaxBytes));
    // Paced below what peers allow one origin (rate_per_s, rate_burst, the same defaults there),
    // with a margin for arrival jitter: a backlog of local bans leaves spread out instead of
    // being dropped by peers and counted against this node.
    this.outbox = new Outbox({
      windowMs: d.mesh.batchWindowMs,
      maxItems: d.mesh.batchMaxItems,
      maxBytes: d.mesh.batchMaxBytes,
      ratePerS: d.mesh.ratePerS * 0.9,
      burst: Math.max(1, Math.floor(d.mesh.rateBurst / 2)),
      send: (facts) => this.publishBatch(facts),
    });
    this.peerId = peerIdFromPrivateKey(d.identity).toString();
  }

  get name(): string {
    return this.d.cluster.name;
  }

  async start(): Promise<this> {
    const { d } = this;
    for (const wire of d.facts.load()) {
      const o = await openAny(wire, Number.MAX_SAFE_INTEGER);
      if (o.ok) this.setFor(o.fact.p).ingest(o.fact, o.wire, Date.now(), false);
    }
    this.node = await createMeshNode({
      identity: d.identity,
      psk: d.psk,
      listen: d.cluster.listen,
      topic: this.topicV1,
      topics: [this.topic],
      maxMessageBytes: Math.max(d.mesh.maxMessageBytes, d.mesh.batchMaxBytes),
      appScore: (p) => (this.penalties.quarantined(p) ? -1000 : 0),
      refuse: (p) => this.penalties.quarantined(p),
      inbound: this.inbound,
      meter: this.meter,
      pingIntervalMs: d.mesh.pingIntervalMs,
      gossip: gossipParams(d.mesh.gossipD, d.mesh.gossipHeartbeatMs),
    });
    const pubsub = this.node.services.pubsub;
    const verdict = (r: Admission["result"]) => (r === "accept" ? ("accept" as never) : r === "reject" ? ("reject" as never) : ("ignore" as never));
    pubsub.topicValidators.set(this.topicV1, async (from, msg) => {
      const author = msg.type === "signed" ? msg.from.toString() : undefined;
      return verdict((await this.receive(msg.data, from.toString(), "gossip", author ?? "")).result);
    });
    pubsub.topicValidators.set(this.topic, async (from, msg) => verdict(await this.receiveBatch(msg.data, from.toString(), msg.type === "signed" ? msg.from.toString() : "")));
    pubsub.subscribe(this.topicV1);
    pubsub.subscribe(this.topic);
    // sync/2: range digests, differing ranges only, packed frames, both wire forms. sync/1 (nodes
    // not yet upgraded): the whole live set, v1 envelopes only, which is all such a node can open.
    const servers: [string, 1 | 2, (r?: unknown) => Entry[]][] = [
      [SYNC_PROTOCOL, 2, (r) => this.liveIn(differing(this.ranges(), r))],
      [SYNC_PROTOCOL_V1, 1, () => [...this.set.live(), ...this.observed.live()].filter((e) => !isProofWire(e.wire))],
    ];
    for (const [protocol, version, entries] of servers)
      await this.node.handle(protocol, (stream, conn) =>
        serveSync(stream, conn.remotePeer.toString(), {
          cluster: this.name,
          version,
          digest: () => this.digest(),
          entries,
          allow: (p) => this.syncBudget.take(p),
          onServed: () => this.sync.inc("served"),
        }),
      );
    this.node.addEventListener("peer:connect", (e) => {
      const peer = e.detail.toString();
      const addr = this.node.getConnections(e.detail)[0]?.remoteAddr.toString();
      d.book.seen(peer, this.name, { connected: true, address: addr ? (ipOf(addr) ?? null) : null, trust: trustLabel(d.trust.of(peer)) });
      // Give identify a moment to learn the peer's protocols, then converge with it.
      setTimeout(() => void this.syncWith(peer), 300);
    });
    this.node.addEventListener("peer:disconnect", (e) => d.book.seen(e.detail.toString(), this.name, { connected: false }));
    this.redial = new Redialer(this.node, d.cluster.bootstrap);
    this.redial.start();
    this.syncNext();
    this.timers.push(setInterval(() => this.housekeep(), 2_000));
    d.logger.info("mesh cluster up", { cluster: this.name, peer_id: this.peerId, listen: this.node.getMultiaddrs().map(String).join(" "), bootstrap: d.cluster.bootstrap.length });
    return this;
  }

  /** Validates one envelope from gossip or sync; accepted facts then go through local policy. */
  async receive(bytes: Uint8Array | string, source: string, via: Arrival["via"], author?: string): Promise<Admission> {
    const { d } = this;
    d.book.count(source, this.name, "msgsIn");
    // Gossip on decisions/1 carries v1 envelopes only; anti-entropy both forms.
    const opened = await (via === "sync" ? openAny : openFact)(bytes, d.mesh.maxMessageBytes);
    const a: Admission = opened.ok
      ? admit(
          this.admitContext(),
          { fact: opened.fact, wire: opened.wire, source, via, ...(author !== undefined ? { author } : {}) },
        )
      : { result: "reject", reason: opened.reason };
    if (a.result === "reject") this.penalize(source, a.reason);
    else if (a.result === "ignore") {
      this.ignored.inc(a.reason);
      if (a.reason === "rate_limited" && opened.ok) d.book.count(opened.fact.p, this.name, "rateLimited");
    } else if (opened.ok) {
      if (via === "gossip") this.lastGossipAt = performance.now();
      void this.apply(opened.fact);
    }
    return a;
  }

  /**
   * Validates one batch from gossip. Faults of the batch as a whole (size, shape, signature,
   * cluster, gossip author) are the sender's, as for a v1 message. Then every item goes through
   * the same admission as a lone fact (cluster, origin, identity, clock, prefix, per-origin rate
   * limits, set bounds), in one SQLite transaction; a bad item is refused and counted alone, and
   * the penalty goes to the batch's signer, never to a relay that forwarded the good items with it.
   * gossipsub forwards the batch when any item was new here.
   */
  async receiveBatch(bytes: Uint8Array, source: string, author: string): Promise<Admission["result"]> {
    const { d } = this;
    d.book.count(source, this.name, "msgsIn");
    const o = await openBatch(bytes, d.mesh.batchMaxBytes, d.mesh.batchMaxItems, d.mesh.maxMessageBytes);
    const fault = !o.ok ? o.reason : o.c !== this.name ? "wrong_cluster" : author !== o.p ? "forged" : undefined;
    if (fault || !o.ok) {
      this.penalize(source, fault ?? "malformed");
      return "reject";
    }
    if (o.p === this.peerId) {
      this.ignored.inc("self");
      return "ignore";
    }
    if (!this.byteLimiter.take(o.p, performance.now(), bytes.byteLength)) {
      if (source === o.p) {
        this.penalize(source, "rate_limited");
        return "reject";
      }
      this.ignored.inc("rate_limited");
      d.book.count(o.p, this.name, "rateLimited");
      return "ignore";
    }
    const ctx = this.admitContext();
    const accepted: Fact[] = [];
    let refused = 0;
    d.facts.transaction(() => {
      for (const item of o.items) {
        const a: Admission = item.ok ? admit(ctx, { fact: item.fact, wire: item.wire, source, via: "gossip", author: o.p }) : { result: "reject", reason: item.reason };
        if (a.result === "accept" && item.ok) accepted.push(item.fact);
        else if (a.result === "reject") {
          refused++;
          this.penalize(o.p, a.reason);
        } else if (a.result === "ignore") {
          this.ignored.inc(a.reason);
          if (a.reason === "rate_limited") d.book.count(o.p, this.name, "rateLimited");
        }
      }
    });
    if (accepted.length > 0) this.lastGossipAt = performance.now();
    for (const f of accepted) void this.apply(f);
    return accepted.length > 0 ? "accept" : refused === o.items.length ? "reject" : "ignore";
  }

  private admitContext() {
    const { d } = this;
    return {
      cluster: this.name,
      selfPeer: this.peerId,
      selfNode: d.nodeId,
      setFor: (p: string) => this.setFor(p),
      limiter: this.limiter,
      cidrLimiter: this.cidrLimiter,
      minPrefix: { v4: d.mesh.minPrefixV4, v6: d.mesh.minPrefixV6 },
      bindNode: (p: string, n: string) => d.book.bindNode(p, this.name, n),
    };
  }

  private penalize(peer: string, reason: string): void {
    this.rejected.inc(reason);
    this.d.book.count(peer, this.name, reason === "rate_limited" ? "rateLimited" : "rejected", reason);
    this.d.book.count(peer, this.name, "penalties");
    if (this.gate.pass(`${peer}:${reason}`) !== undefined) this.d.logger.warn("mesh message rejected", { cluster: this.name, peer, reason });
    if (this.penalties.offend(peer)) {
      this.d.logger.warn("peer quarantined for repeated offences", { cluster: this.name, peer, reason });
      const conn = this.node.getConnections().find((c) => c.remotePeer.toString() === peer);
      if (conn) void this.node.hangUp(conn.remotePeer).catch(() => {});
    }
  }

  private async apply(f: Fact): Promise<void> {
    const { d } = this;
    const parent = contextFromTraceparent(f.tp);
    await d.tracer.startActiveSpan("meshd.receive", { attributes: { "hm.cluster": this.name, "hm.value": f.address.text, "hm.kind": f.k, "hm.origin": f.o } }, parent, async (span) => {
      const out = decide({ cluster: this.name, trust: d.trust, allow: d.allow, ttlCapS: d.mesh.ttlCapS, set: this.set }, f);
      if ("skipped" in out) {
        this.outcomes.inc(out.skipped);
        span.setAttribute("hm.outcome", out.skipped);
        if (out.skipped === "observed" && this.gate.pass(`observed:${f.p}`) !== undefined) d.logger.info("peer decision observed (trust = observe)", { cluster: this.name, origin: f.o, value: f.address.text, kind: f.k });
        span.end();
        return;
      }
      try {
        await d.emit(out.decision, trace.setSpan(parent, span));
        this.outcomes.inc("decided");
      } catch (e) {
        this.outcomes.inc("emit_failed");
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      } finally {
        span.end();
      }
    });
  }

  /** Our own facts and those of named, trusted peers go to the trusted set; the rest apart. */
  private setFor(peer: string): FactSet {
    return peer === this.peerId || this.d.trust.named(peer) ? this.set : this.observed;
  }

  /** Range digests over both sets (their keys never overlap: an origin's facts live in one). */
  private ranges(): string[] {
    const self = this;
    return rangeDigests(
      (function* () {
        yield* self.set.keyed();
        yield* self.observed.keyed();
      })(),
    );
  }

  private liveIn(ranges: ReadonlySet<number>): Entry[] {
    return [...this.set.liveIn(ranges), ...this.observed.liveIn(ranges)];
  }

  /** Both sets' identity: peers exchange facts whenever either differs. */
  private digest(): string {
    return this.observed.size === 0 ? this.set.digest() : `${this.set.digest().slice(0, 16)}${this.observed.digest().slice(0, 16)}`;
  }

  /** Queues one of this node's facts (already sanitized) for the next batch. */
  async share(f: Omit<Fact, "c" | "p">): Promise<void> {
    this.outbox.add({ ...f, c: this.name, p: this.peerId });
  }

  /** Signs a batch once, keeps its items (each with its proof) in the live set, publishes it. */
  private async publishBatch(facts: Fact[]): Promise<void> {
    try {
      const sealed = await sealBatch(facts, this.d.identity);
      this.d.facts.transaction(() => {
        for (const it of sealed.items) this.set.ingest(it.fact, it.wire);
      });
      for (const f of facts) this.shared.inc(f.k);
      const r = await this.node.services.pubsub.publish(this.topic, new TextEncoder().encode(sealed.message));
      for (const p of r.recipients) this.d.book.count(p.toString(), this.name, "msgsOut");
    } catch (e) {
      // Anti-entropy carries it to peers that missed it.
      if (this.gate.pass("publish") !== undefined) this.d.logger.warn("mesh publish failed", { cluster: this.name, err: e as Error });
    }
  }

  private async syncWith(peer: string): Promise<void> {
    const conn = this.node.getConnections().find((c) => c.remotePeer.toString() === peer);
    if (!conn || this.syncing.has(peer)) return;
    this.syncing.add(peer);
    this.sync.inc("requested");
    try {
      const n = await requestSync(this.node, conn.remotePeer, {
        cluster: this.name,
        digest: this.digest(),
        ranges: () => this.ranges(),
        maxFacts: this.d.mesh.maxFacts,
        maxFrameBytes: this.d.mesh.maxMessageBytes,
        onWire: async (w) => void (await this.receive(w, peer, "sync")),
      });
      this.sync.inc("received", n);
    } catch (e) {
      this.sync.inc("failed");
      if (this.gate.pass("sync") !== undefined) this.d.logger.debug("sync failed", { cluster: this.name, peer, err: e as Error });
    } finally {
      this.syncing.delete(peer);
    }
  }

  /**
   * Anti-entropy with a random peer every sync_interval_s on average, each wait drawn from
   * 0.75–1.25 × it so that nodes started together do not sync in lockstep (and a well-connected
   * node is not asked by all its peers at once). An idle exchange is one digest and `same`.
   */
  private syncNext(): void {
    if (this.stopped) return;
    this.syncTimer = setTimeout(() => void this.syncRandom().catch(() => {}).finally(() => this.syncNext()), this.d.mesh.syncIntervalMs * (0.75 + Math.random() / 2));
  }

  /**
   * While gossip is bringing new facts, digests differ by the facts in flight, and an exchange
   * would carry every fact of the differing ranges (under a stream, all 64 of them: the whole
   * set) only for the receiver to drop them as known. So a busy node defers its periodic
   * exchange, but never for more than SYNC_DEFER_MAX rounds: facts gossip lost still arrive.
   */
  private async syncRandom(): Promise<void> {
    const now = performance.now();
    if (now - this.lastGossipAt < SYNC_BUSY_MS && now - this.lastSyncAt < SYNC_DEFER_MAX * this.d.mesh.syncIntervalMs) return;
    this.lastSyncAt = now;
    const peers = this.node.getPeers();
    if (peers.length === 0) return;
    await this.syncWith(peers[Math.floor(Math.random() * peers.length)]!.toString());
  }

  private housekeep(): void {
    this.set.prune();
    this.observed.prune();
    const pubsub = this.node.services.pubsub as unknown as { getScore?(p: string): number };
    const addrs: string[] = [];
    for (const c of this.node.getConnections()) {
      const peer = c.remotePeer.toString();
      if (pubsub.getScore) this.d.book.setScore(peer, Math.round(pubsub.getScore(peer) * 100) / 100);
      const ip = ipOf(c.remoteAddr.toString());
      if (ip) addrs.push(ip);
    }
    this.d.allow.setPeerAddresses(this.name, addrs);
  }

  connectedPeers(): number {
    return this.node.getPeers().length;
  }

  meshPeers(): number {
    return this.node.services.pubsub.getSubscribers(this.topic).length;
  }

  quarantined(): number {
    return this.penalties.size();
  }

  async stop(): Promise<void> {
    // What the pacing allows goes now; the rest is dropped and counted, not burst past the
    // per-origin limit of peers (they would penalize, then quarantine, this node).
    const unsent = this.outbox.flush();
    if (unsent > 0) this.d.logger.warn("own facts not shared before stop (pacing)", { cluster: this.name, unsent });
    this.stopped = true;
    clearTimeout(this.syncTimer);
    for (const t of this.timers) clearInterval(t);
    this.redial?.stop();
    await this.node?.stop();
  }
}
