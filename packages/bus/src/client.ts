import type { Static } from "@sinclair/typebox";
import type { Context } from "@opentelemetry/api";
import type { JSONWebKeySet } from "jose";
import type { SigningKey } from "@honeymesh/keys/keystore";
import { MAX_BATCH_ITEMS } from "@honeymesh/schema/envelope";
import { topic as topicOf, type Kind, type KINDS } from "@honeymesh/schema/topics";
import type { BusIdentity } from "@honeymesh/schema/services";
import { contextFromTraceparent, traceparentOf } from "@honeymesh/telemetry/traceparent";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import type { Logger } from "@honeymesh/telemetry/logger";
import { Counters, type RejectReason } from "./counters.ts";
import { BusError } from "./errors.ts";
import { KeyRing } from "./key-ring.ts";
import { ReplayCache } from "./replay-cache.ts";
import { PublishBatcher } from "./publish-batcher.ts";
import { itemJson, Signer } from "./signer.ts";
import { MqttConnection } from "./mqtt/connection.ts";
import { connectToken } from "./token.ts";
import { MAX_MESSAGE_BYTES, verifyMessage, type Header } from "./verifier.ts";

export type Body<K extends Kind> = Static<(typeof KINDS)[K]>;
export interface Meta {
  producer: string;
  /** The message's claims (shared by every item of a batch). */
  claims: Header;
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
  /** Bytes of items waiting for the broker across all topics before a publish is refused (default 16 MiB). */
  maxQueuedBytes?: number;
}

/** Kinds whose loss would lose state go QoS 1; telemetry goes QoS 0. */
const QOS: Record<Kind, 0 | 1> = { health: 0, metrics: 0, probe: 0, decision: 1, ban: 1, syn: 1, guard: 1, hit: 1, session: 1, allow: 1, mode: 1, result: 1, peers: 1, failure: 1, feed: 1, feedresult: 1 };

/** A signed, verified, typed bus connection for one identity (DESIGN §2). */
export class BusClient {
  readonly rejected = new Counters<RejectReason>();
  readonly stats = new Counters<"published" | "signed" | "delivered">();
  /** Group publishing of QoS 1 kinds: one signature per round trip to the broker. */
  readonly batches: PublishBatcher;
  private readonly handlers = new Map<string, { kind: Kind; fn: Handler<Kind> }[]>();
  private readonly ring: KeyRing;
  private readonly replay = new ReplayCache();
  private readonly signer: Signer;
  private readonly gate = new RateLimitedGate();
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private tokenTimer: ReturnType<typeof setInterval> | undefined;
  private token = "";
  private mq!: MqttConnection;
  private onConnect: (() => void) | undefined;

  private constructor(private readonly opts: BusClientOptions) {
    this.ring = new KeyRing(opts.jwks);
    this.signer = new Signer(opts.key, opts.messageTtlS ?? 60);
    // The signed message (header, base64url claims, signature) must stay under the verifier's cap.
    const maxBytes = Math.floor(((MAX_MESSAGE_BYTES - 512) * 3) / 4) - this.signer.overhead;
    this.batches = new PublishBatcher((t, items) => {
      this.stats.inc("signed");
      return this.publishRaw(t, items.length === 1 ? this.signer.signOne(items[0]!) : this.signer.signBatch(items), 1);
    }, {
      maxBytes,
      maxItems: MAX_BATCH_ITEMS,
      maxQueuedBytes: opts.maxQueuedBytes ?? 16 * 1024 * 1024,
    });
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
    const client = new BusClient(opts);
    await client.ring.reload();
    client.token = await connectToken(opts.key, ttl);
    // A connect token that is always fresh when a reconnect needs it.
    client.tokenTimer = setInterval(async () => {
      client.token = await connectToken(opts.key, ttl);
    }, (ttl * 1000) / 3);
    client.tokenTimer.unref?.();
    const target = endpointOf(opts.url);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void client.close(true);
        reject(new BusError("BUS_CONNECT", `bus at ${opts.url} did not accept ${opts.key.identity} within 10 s`));
      }, 10_000);
      client.onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      client.mq = new MqttConnection(
        { ...target, clientId: opts.clientId ?? opts.key.kid, username: opts.key.identity, password: () => client.token, keepaliveS: 15 },
        {
          message: (t, payload) => client.onMessage(t, payload),
          connect: () => client.onConnect?.(),
          error: (e) => {
            if (client.gate.pass(`mqtt:${e.message}`) !== undefined) opts.logger.warn("bus connection error", { err: e });
          },
        },
      );
    });
    return client;
  }

  /**
   * Signs and publishes one body. QoS 1 kinds go through the batcher: alone when the topic is
   * idle, else with whatever else waits for the same topic, under one signature. Resolves when
   * the broker has acknowledged the message that carried it.
   */
  async publish<K extends Kind>(kind: K, d: Body<K>, ctx?: Context): Promise<void> {
    const t = topicOf(this.identity, kind);
    if (QOS[kind] === 1) {
      await this.batches.push(t, itemJson(d, traceparentOf(ctx))).catch((e: Error) => {
        throw e instanceof BusError ? e : new BusError("BUS_PUBLISH", e.message);
      });
    } else {
      this.stats.inc("signed");
      await this.publishRaw(t, await this.signer.sign(d, traceparentOf(ctx)), 0);
    }
    this.stats.inc("published");
  }

  /** Publishes bytes as they are: for tests and benches that need hostile or pre-signed payloads. */
  publishRaw(t: string, payload: string | Uint8Array, qos: 0 | 1 = 0): Promise<void> {
    const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    return this.mq.publish(t, bytes, qos).catch((e: Error) => {
      throw new BusError("BUS_PUBLISH", e.message);
    });
  }

  /** Subscribes to `hm/v1/<producer|+>/<kind>`; the handler sees only verified, schema-valid bodies. */
  async subscribe<K extends Kind>(producer: BusIdentity | "+", kind: K, fn: Handler<K>): Promise<void> {
    const filter = `hm/v1/${producer}/${kind}`;
    const list = this.handlers.get(filter) ?? [];
    list.push({ kind, fn: fn as Handler<Kind> });
    this.handlers.set(filter, list);
    await this.mq.subscribe(filter, QOS[kind] ?? 0).catch((e: Error) => {
      throw new BusError("BUS_CONNECT", e.message);
    });
  }

  private onMessage(t: string, payload: Uint8Array): void {
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
        for (let i = 0; i < v.invalid; i++) this.reject("schema", `${v.producer}/${v.kind} batch item`);
        const lists = [...this.handlers].filter(([filter]) => matches(filter, t)).map(([, list]) => list);
        for (const item of v.items) {
          const ctx = contextFromTraceparent(item.tp);
          for (const list of lists) {
            for (const h of list) {
              try {
                await h.fn(item.d as Body<Kind>, { producer: v.producer, claims: v.claims, ctx });
                this.stats.inc("delivered");
              } catch (e) {
                this.reject("handler_error", (e as Error).message);
              }
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

  /** Ends the session politely (DISCONNECT); `force` is kept for callers that do not wait. */
  close(_force = false): Promise<void> {
    clearInterval(this.tokenTimer);
    return this.mq ? this.mq.close() : Promise.resolve();
  }
}

/** `mqtt://host:port` (TCP) or `unix:///abs/path` (the broker's Unix socket). */
export function endpointOf(raw: string): { host: string; port: number; path?: string } {
  const url = new URL(raw);
  if (url.protocol === "unix:") return { host: "", port: 0, path: decodeURI(url.pathname) };
  if (url.protocol !== "mqtt:") throw new BusError("BUS_CONNECT", `bus url ${raw} is neither mqtt:// nor unix://`);
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 1883) };
}

function matches(filter: string, t: string): boolean {
  const f = filter.split("/");
  const p = t.split("/");
  return f.length === p.length && f.every((seg, i) => seg === "+" || seg === p[i]);
}
