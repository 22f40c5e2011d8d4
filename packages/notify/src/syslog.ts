import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { hostname } from "node:os";
import { describe, type NotifyEvent } from "./events.ts";

export interface SyslogOptions {
  host: string;
  port: number;
  transport: "udp" | "tcp";
  format: "json" | "cef";
  /** RFC 5424 §6.2.1 facility number (16 = local0). */
  facility: number;
  appName: string;
  node: string;
  version: string;
  maxQueue: number;
}

export interface SyslogStats {
  sent: number;
  dropped: number;
  errors: number;
  last_error: string | null;
}

/** Severity per event (RFC 5424 §6.2.1): warning for bans and lost enforcement, notice otherwise. */
function severity(e: NotifyEvent): number {
  return e.type === "ban" || (e.type === "enforcement" && e.kernel === "unavailable") ? 4 : 5;
}

/** CEF header fields escape `\` and `|`; extension values escape `\`, `=` and line breaks (ArcSight CEF rev. 25). */
const cefHeader = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
const cefValue = (s: string) => s.replace(/\\/g, "\\\\").replace(/=/g, "\\=").replace(/\r?\n/g, "\\n");

export function cefOf(e: NotifyEvent, o: Pick<SyslogOptions, "version" | "node">): string {
  const ext: [string, string | number][] = [["rt", e.at], ["dvchost", o.node], ["msg", describe(e)]];
  if (e.type === "ban") ext.push(["src", e.address], ["act", "ban"], ["cs1Label", "reasons"], ["cs1", e.reasons.join(",")], ["cs2Label", "origin"], ["cs2", e.origin]);
  if (e.type === "session") ext.push(["src", e.src], ["app", e.service], ["cnt", e.credentials]);
  const sev = severity(e) === 4 ? 7 : 3; // CEF 0..10
  return `CEF:0|HoneyMesh|honeymesh|${cefHeader(o.version)}|${e.type}|${cefHeader(e.type === "ban" ? "IP banned" : e.type)}|${sev}|${ext.map(([k, v]) => `${k}=${cefValue(String(v))}`).join(" ")}`;
}

/** One RFC 5424 message: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID - MSG` (no structured data; MSG is UTF-8 with a BOM, §6.4). */
export function rfc5424(e: NotifyEvent, o: SyslogOptions, host = hostname()): string {
  const pri = o.facility * 8 + severity(e);
  const field = (s: string, max: number) => (s.replace(/[^\x21-\x7e]/g, "").slice(0, max) || "-");
  const msg = o.format === "cef" ? cefOf(e, o) : JSON.stringify({ node: o.node, ...e });
  return `<${pri}>1 ${new Date(e.at).toISOString()} ${field(host, 255)} ${field(o.appName, 48)} ${process.pid} ${field(e.type, 32)} - \uFEFF${msg}`;
}

/**
 * Forwards events to a syslog collector. UDP sends one datagram per message (RFC 5426); TCP frames
 * with octet counting (RFC 6587 §3.4.1) and reconnects with backoff. The queue is bounded: past it
 * messages are dropped and counted, so a dead collector costs memory of `maxQueue` at most.
 */
export class SyslogSink {
  readonly stats: SyslogStats = { sent: 0, dropped: 0, errors: 0, last_error: null };
  private readonly queue: string[] = [];
  private udp: UdpSocket | undefined;
  private tcp: Socket | undefined;
  private connecting = false;
  private backoffMs = 500;
  private stopped = false;

  constructor(private readonly o: SyslogOptions) {}

  accept(e: NotifyEvent): void {
    if (this.stopped) return;
    if (this.queue.length >= this.o.maxQueue) {
      this.stats.dropped++;
      return;
    }
    this.queue.push(rfc5424(e, this.o));
    queueMicrotask(() => this.drain());
  }

  stop(): void {
    this.stopped = true;
    this.udp?.close();
    this.tcp?.destroy();
  }

  private fail(err: Error): void {
    this.stats.errors++;
    this.stats.last_error = err.message.slice(0, 300);
  }

  private drain(): void {
    if (this.stopped || this.queue.length === 0) return;
    if (this.o.transport === "udp") {
      this.udp ??= createSocket(this.o.host.includes(":") ? "udp6" : "udp4").on("error", (err) => this.fail(err));
      while (this.queue.length > 0) {
        const m = Buffer.from(this.queue.shift()!);
        // RFC 5426 §3.2: keep datagrams within what any path carries unfragmented.
        this.udp.send(m.subarray(0, 2048), this.o.port, this.o.host, (err) => (err ? this.fail(err) : this.stats.sent++));
      }
      return;
    }
    if (!this.tcp) return this.connectTcp();
    if (this.connecting) return;
    while (this.queue.length > 0) {
      const m = Buffer.from(this.queue.shift()!);
      this.tcp.write(`${m.byteLength} `);
      this.tcp.write(m);
      this.stats.sent++;
    }
  }

  private connectTcp(): void {
    if (this.connecting || this.stopped) return;
    this.connecting = true;
    const s = connect({ host: this.o.host, port: this.o.port });
    this.tcp = s;
    s.on("connect", () => {
      this.connecting = false;
      this.backoffMs = 500;
      this.drain();
    });
    s.on("error", (err) => this.fail(err));
    s.on("close", () => {
      this.tcp = undefined;
      this.connecting = false;
      if (this.stopped) return;
      const wait = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
      setTimeout(() => this.drain(), wait).unref?.();
    });
  }
}
