import type { Socket } from "node:net";
import { Counters } from "@honeymesh/bus/counters";
import type { BROKER_ADMISSION_DROPS } from "@honeymesh/schema/metrics";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";

export type AdmissionDrop = (typeof BROKER_ADMISSION_DROPS)[number];
export type Transport = "unix" | "tcp";

export interface AdmissionLimits {
  /** A connection must have authenticated (CONNECT + CONNACK) within this, or it is closed. */
  connectTimeoutMs: number;
  /** Unauthenticated TCP connections at once, all sources together. */
  maxPendingTcp: number;
  /** Unauthenticated TCP connections at once from one source address. */
  maxPendingPerSource: number;
  /** TCP connections at once, authenticated or not. Must exceed maxPendingTcp so that
   *  unauthenticated holders can never take every slot from authenticated clients. */
  maxTcp: number;
}

export const DEFAULT_LIMITS: AdmissionLimits = { connectTimeoutMs: 2_000, maxPendingTcp: 256, maxPendingPerSource: 16, maxTcp: 1_024 };

interface Entry {
  transport: Transport;
  source: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Who may hold a broker connection. Unauthenticated connections are the only thing a local user
 * without a key can create, so they are bounded (per source, in total) and short-lived; the Unix
 * socket (mode 0660, group honeymesh: only the node's own users can open it) is never refused for
 * lack of slots, and TCP keeps maxTcp - maxPendingTcp slots that only authenticated clients can fill.
 */
export function createAdmission(logger: Logger, limits: AdmissionLimits = DEFAULT_LIMITS) {
  const drops = new Counters<AdmissionDrop>();
  const gate = new RateLimitedGate();
  const open = new Map<Socket, Entry>();
  const pendingBySource = new Map<string, number>();
  const count = { unix: 0, tcp: 0, pending: 0, pendingTcp: 0 };

  const drop = (why: AdmissionDrop, socket: Socket, source: string) => {
    drops.inc(why);
    const suppressed = gate.pass(why);
    if (suppressed !== undefined) logger.warn("bus closed a connection", { why, source, suppressed });
    socket.destroy();
  };
  const unpend = (e: Entry) => {
    if (e.timer === undefined) return;
    clearTimeout(e.timer);
    e.timer = undefined;
    count.pending--;
    if (e.transport !== "tcp") return;
    count.pendingTcp--;
    const n = (pendingBySource.get(e.source) ?? 1) - 1;
    if (n <= 0) pendingBySource.delete(e.source);
    else pendingBySource.set(e.source, n);
  };

  return {
    drops,
    gauges: () => ({ unix: count.unix, tcp: count.tcp, pending: count.pending }),
    /** A new connection: false when it was refused (and already destroyed). */
    admit(socket: Socket, transport: Transport): boolean {
      const source = transport === "tcp" ? (socket.remoteAddress ?? "?") : "unix";
      if (transport === "tcp") {
        if (count.tcp >= limits.maxTcp) return drop("tcp_cap", socket, source), false;
        if (count.pendingTcp >= limits.maxPendingTcp) return drop("tcp_pending_cap", socket, source), false;
        if ((pendingBySource.get(source) ?? 0) >= limits.maxPendingPerSource) return drop("tcp_source_cap", socket, source), false;
        pendingBySource.set(source, (pendingBySource.get(source) ?? 0) + 1);
        count.pendingTcp++;
      }
      count[transport]++;
      count.pending++;
      const entry: Entry = { transport, source, timer: undefined };
      entry.timer = setTimeout(() => {
        unpend(entry);
        drop("connect_timeout", socket, source);
      }, limits.connectTimeoutMs);
      open.set(socket, entry);
      socket.once("close", () => {
        unpend(entry);
        open.delete(socket);
        count[transport]--;
      });
      return true;
    },
    /** The client on this socket authenticated: it no longer counts as pending. */
    authenticated(socket: unknown): void {
      const e = open.get(socket as Socket);
      if (e) unpend(e);
    },
  };
}
