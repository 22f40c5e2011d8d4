import type { Static } from "@sinclair/typebox";
import type { Context } from "@opentelemetry/api";
import mqtt, { type MqttClient } from "mqtt";
import type { JSONWebKeySet } from "jose";
import type { SigningKey } from "@honeymesh/keys/keystore";
import type { EnvelopeClaims } from "@honeymesh/schema/envelope";
import { topic as topicOf, type Kind, type KINDS } from "@honeymesh/schema/topics";
import type { BusIdentity } from "@honeymesh/schema/services";
import { contextFromTraceparent, traceparentOf } from "@honeymesh/telemetry/traceparent";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import type { Logger } from "@honeymesh/telemetry/logger";
import { Counters, type RejectReason } from "./counters.ts";
import { BusError } from "./errors.ts";
import { KeyRing } from "./key-ring.ts";
import { ReplayCache } from "./replay-cache.ts";
import { Signer } from "./signer.ts";
import { connectToken } from "./token.ts";
import { verifyMessage } from "./verifier.ts";

export type Body<K extends Kind> = Static<(typeof KINDS)[K]>;
export interface Meta {
  producer: string;
  claims: EnvelopeClaims;
  /** Context whose parent is the producer's span, for continuing its trace. */
  ctx: Context;
}
export type Handler<K extends Kind> = (d: Body<K>, meta: Meta) => void | Promise<void>;

export interface BusClientOptions {
  url: string;
  key: SigningKey;
  jwks: () => JSONWebKeySet;
  logger: Logger;
  tokenTtlS?: number;
  messageTtlS?: number;
  /** Stable by default so the broker keeps this client's QoS 1 queue across reconnects. */
  clientId?: string;
  maxPending?: number;
}

/** Kinds whose loss would lose state go QoS 1; telemetry goes QoS 0. */
const QOS: Record<Kind, 0 | 1> = { health: 0, probe: 0, decision: 1, ban: 1, syn: 1, hit: 1, session: 1, allow: 1, mode: 1 };
const MAX_BACKOFF_MS = 5_000;

/** A signed, verified, typed bus connection for one identity (DESIGN §2). */
export class BusClient {
  readonly rejected = new Counters<RejectReason>();
  readonly stats = new Counters<"published" | "delivered">();
  private readonly handlers = new Map<string, { kind: Kind; fn: Handler<Kind> }[]>();
  private readonly ring: KeyRing;
  private readonly replay = new ReplayCache();
  private readonly signer: Signer;
  private readonly gate = new RateLimitedGate();
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private tokenTimer: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly mq: MqttClient,
    private readonly opts: BusClientOptions,
  ) {
    this.ring = new KeyRing(opts.jwks);
    this.signer = new Signer(opts.key, opts.messageTtlS ?? 60);
    mq.on("message", (t, payload) => this.onMessage(t, payload));
  }

  get identity(): BusIdentity {
    return this.opts.key.identity as BusIdentity;
  }

  /** Received messages not yet handled (bounded by maxPending; beyond it they are counted as overload). */
  get backlog(): number {
    return this.pending;
  }

  get connected(): boolean {
    return this.mq.connected;
  }

  static async connect(opts: BusClientOptions): Promise<BusClient> {
    const ttl = opts.tokenTtlS ?? 300;
    const mq = mqtt.connect(opts.url, {
      username: opts.key.identity,
      password: await connectToken(opts.key, ttl),
      clientId: opts.clientId ?? opts.key.kid,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 100,
      connectTimeout: 5_000,
      keepalive: 15,
      resubscribe: true,
    });
    const client = new BusClient(mq, opts);
    await client.ring.reload();
    client.installBackoff(ttl);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BusError("BUS_CONNECT", `bus at ${opts.url} did not accept ${opts.key.identity} within 10 s`)), 10_000);
      mq.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
    }).catch((e) => {
      client.close(true);
      throw e;
    });
    return client;
  }

  /** Exponential reconnect backoff (100 ms → 5 s) and a connect token that is always fresh. */
  private installBackoff(ttlS: number): void {
    this.mq.on("connect", () => {
      this.mq.options.reconnectPeriod = 100;
      // Nagle would hold a decision behind the previous unacknowledged packet (RFC 896).
      (this.mq.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
    });
    this.mq.on("close", () => {
      this.mq.options.reconnectPeriod = Math.min(MAX_BACKOFF_MS, (this.mq.options.reconnectPeriod ?? 100) * 2);
    });
    this.mq.on("error", (e) => {
      if (this.gate.pass(`mqtt:${e.message}`) !== undefined) this.opts.logger.warn("bus connection error", { err: e });
    });
    this.tokenTimer = setInterval(async () => {
      this.mq.options.password = await connectToken(this.opts.key, ttlS);
    }, (ttlS * 1000) / 3);
    this.tokenTimer.unref?.();
  }

  async publish<K extends Kind>(kind: K, d: Body<K>, ctx?: Context): Promise<void> {
    const jws = await this.signer.sign(d, traceparentOf(ctx));
    await this.publishRaw(topicOf(this.identity, kind), jws, QOS[kind]);
    this.stats.inc("published");
  }

  /** Publishes bytes as they are: for tests and benches that need hostile or pre-signed payloads. */
  publishRaw(t: string, payload: string | Uint8Array, qos: 0 | 1 = 0): Promise<void> {
    return new Promise((resolve, reject) => {
      this.mq.publish(t, payload as string, { qos }, (err) => (err ? reject(new BusError("BUS_PUBLISH", err.message)) : resolve()));
    });
  }

  /** Subscribes to `hm/v1/<producer|+>/<kind>`; the handler sees only verified, schema-valid bodies. */
  async subscribe<K extends Kind>(producer: BusIdentity | "+", kind: K, fn: Handler<K>): Promise<void> {
    const filter = `hm/v1/${producer}/${kind}`;
    const list = this.handlers.get(filter) ?? [];
    list.push({ kind, fn: fn as Handler<Kind> });
    this.handlers.set(filter, list);
    await new Promise<void>((resolve, reject) => {
      this.mq.subscribe(filter, { qos: QOS[kind] ?? 0 }, (err) => (err ? reject(new BusError("BUS_CONNECT", err.message)) : resolve()));
    });
  }

  private onMessage(t: string, payload: Buffer): void {
    if (this.pending >= (this.opts.maxPending ?? 20_000)) {
      this.reject("overload");
      return;
    }
    this.pending++;
    // Verify concurrently, deliver in arrival order: a ban must not overtake its unban.
    const verified = verifyMessage(t, payload, this.ring, this.replay);
    this.chain = this.chain.then(async () => {
      try {
        const v = await verified;
        if (!v.ok) return this.reject(v.reason, v.detail);
        const ctx = contextFromTraceparent(v.claims.tp);
        for (const [filter, list] of this.handlers) {
          if (!matches(filter, t)) continue;
          for (const h of list) {
            try {
              await h.fn(v.claims.d as Body<Kind>, { producer: v.producer, claims: v.claims, ctx });
              this.stats.inc("delivered");
            } catch (e) {
              this.reject("handler_error", (e as Error).message);
            }
          }
        }
      } finally {
        this.pending--;
      }
    });
  }

  private reject(reason: RejectReason, detail?: string): void {
    this.rejected.inc(reason);
    const suppressed = this.gate.pass(reason);
    if (suppressed !== undefined) this.opts.logger.warn("bus message rejected", { reason, detail, suppressed });
  }

  /** Waits until every message received so far has been handled. */
  drain(): Promise<void> {
    return this.chain;
  }

  close(force = false): Promise<void> {
    clearInterval(this.tokenTimer);
    return new Promise((resolve) => this.mq.end(force, {}, () => resolve()));
  }
}

function matches(filter: string, t: string): boolean {
  const f = filter.split("/");
  const p = t.split("/");
  return f.length === p.length && f.every((seg, i) => seg === "+" || seg === p[i]);
}
