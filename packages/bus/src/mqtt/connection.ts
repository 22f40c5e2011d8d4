import { createConnection, type Socket } from "node:net";
import { connect, DISCONNECT, PacketReader, PINGREQ, publish, puback, subscribe, TYPE, type Incoming } from "./codec.ts";

export interface ConnectionOptions {
  /** TCP endpoint, used unless `path` is given. */
  host: string;
  port: number;
  /** The broker's Unix socket: the node's own services connect here (never starved by TCP holders). */
  path?: string;
  clientId: string;
  username: string;
  /** Called at every (re)connect: the bus password is a short-lived token. */
  password: () => string;
  keepaliveS?: number;
  /** Unacknowledged QoS 1 messages kept for resending; beyond it publish rejects. */
  maxInflight?: number;
}

export interface ConnectionEvents {
  message(topic: string, payload: Uint8Array): void;
  connect(): void;
  error(e: Error): void;
}

type Waiter = { resolve: () => void; reject: (e: Error) => void };

/**
 * A minimal MQTT 3.1.1 client with a persistent session (clean = false): QoS 1 messages stay
 * in `inflight` until PUBACK and are resent, in order, with DUP after a reconnect (§4.4);
 * subscriptions are renewed when the broker says it has no session. Reconnects back off
 * from 100 ms to 5 s.
 */
export class MqttConnection {
  private socket: Socket | undefined;
  private reader = new PacketReader();
  private nextId = 1;
  private readonly inflight = new Map<number, { packet: Uint8Array; waiter: Waiter }>();
  private readonly subs = new Map<string, 0 | 1>();
  /** Subscriptions asked for while offline: sent at the next CONNACK even if a session exists. */
  private readonly unsent = new Set<string>();
  private readonly subWaiters = new Map<number, Waiter>();
  private online = false;
  private closed = false;
  private backoff = 100;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastIn = Date.now();

  constructor(
    private readonly o: ConnectionOptions,
    private readonly on: ConnectionEvents,
  ) {
    this.open();
  }

  get connected(): boolean {
    return this.online;
  }

  private open(): void {
    if (this.closed) return;
    this.reader = new PacketReader();
    const s = this.o.path ? createConnection({ path: this.o.path }) : createConnection({ host: this.o.host, port: this.o.port });
    this.socket = s;
    if (!this.o.path) s.setNoDelay(true);
    s.on("connect", () => s.write(connect({ clientId: this.o.clientId, username: this.o.username, password: this.o.password(), keepaliveS: this.o.keepaliveS ?? 15, clean: false })));
    s.on("data", (chunk: Buffer) => this.onData(chunk));
    s.on("error", (e) => this.on.error(e));
    s.on("close", () => this.onClose(s));
  }

  private onData(chunk: Buffer): void {
    this.lastIn = Date.now();
    let packets: Incoming[];
    try {
      packets = this.reader.push(chunk);
    } catch (e) {
      this.on.error(e as Error);
      this.socket?.destroy();
      return;
    }
    for (const p of packets) this.handle(p);
  }

  private handle(p: Incoming): void {
    switch (p.type) {
      case TYPE.CONNACK:
        if (p.code !== 0) {
          this.on.error(new Error(`broker refused the connection (CONNACK ${p.code})`));
          this.socket?.destroy();
          return;
        }
        this.online = true;
        this.backoff = 100;
        for (const [f, q] of this.subs) if (!p.sessionPresent || this.unsent.has(f)) this.socket?.write(subscribe(this.id(), f, q));
        this.unsent.clear();
        for (const m of this.inflight.values()) this.socket?.write(redup(m.packet));
        this.startPing();
        this.on.connect();
        return;
      case TYPE.PUBLISH:
        if (p.qos === 1) this.socket?.write(puback(p.id));
        this.on.message(p.topic, p.payload);
        return;
      case TYPE.PUBACK: {
        const m = this.inflight.get(p.id);
        this.inflight.delete(p.id);
        m?.waiter.resolve();
        return;
      }
      case TYPE.SUBACK: {
        const w = this.subWaiters.get(p.id);
        this.subWaiters.delete(p.id);
        if (p.granted === 0x80) w?.reject(new Error("subscription refused by the broker"));
        else w?.resolve();
        return;
      }
      default:
        return;
    }
  }

  private onClose(s: Socket): void {
    if (s !== this.socket) return;
    this.online = false;
    clearInterval(this.pingTimer);
    if (this.closed) return;
    setTimeout(() => this.open(), this.backoff);
    this.backoff = Math.min(5_000, this.backoff * 2);
  }

  private startPing(): void {
    clearInterval(this.pingTimer);
    const ka = (this.o.keepaliveS ?? 15) * 1000;
    this.pingTimer = setInterval(() => {
      // No traffic for 1.5 keepalives: the connection is dead even if TCP has not noticed.
      if (Date.now() - this.lastIn > ka * 1.5) this.socket?.destroy();
      else this.socket?.write(PINGREQ);
    }, ka / 2);
    this.pingTimer.unref?.();
  }

  private id(): number {
    for (let n = 0; n < 65535; n++) {
      const id = this.nextId;
      this.nextId = (this.nextId % 65535) + 1;
      if (!this.inflight.has(id) && !this.subWaiters.has(id)) return id;
    }
    throw new Error("no free packet id");
  }

  publish(topic: string, payload: Uint8Array, qos: 0 | 1): Promise<void> {
    if (qos === 0) {
      // QoS 0 while offline is dropped by definition (at most once).
      if (this.online) this.socket?.write(publish(topic, payload, 0, 0));
      return Promise.resolve();
    }
    if (this.inflight.size >= (this.o.maxInflight ?? 50_000)) return Promise.reject(new Error("too many unacknowledged messages"));
    return new Promise((resolve, reject) => {
      const id = this.id();
      const packet = publish(topic, payload, 1, id);
      this.inflight.set(id, { packet, waiter: { resolve, reject } });
      if (this.online) this.socket?.write(packet);
    });
  }

  subscribe(filter: string, qos: 0 | 1): Promise<void> {
    this.subs.set(filter, qos);
    if (!this.online) {
      this.unsent.add(filter);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const id = this.id();
      this.subWaiters.set(id, { resolve, reject });
      this.socket?.write(subscribe(id, filter, qos));
    });
  }

  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pingTimer);
    const s = this.socket;
    if (!s || s.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      s.once("close", () => resolve());
      if (this.online) s.end(DISCONNECT);
      else s.destroy();
      setTimeout(() => (s.destroy(), resolve()), 500).unref?.();
    });
  }
}

/** The same PUBLISH with DUP set (§3.3.1.1): a resend after reconnect. */
function redup(p: Uint8Array): Uint8Array {
  const c = p.slice();
  c[0] = c[0]! | 0x08;
  return c;
}
