import { reasonNames } from "@honeymesh/ban/reasons";
import type { BusClient } from "@honeymesh/bus/client";
import type { FrozenConfig } from "@honeymesh/config/schema";
import type { NotifyEvent } from "@honeymesh/notify/events";
import type { Notifier, NotifierStats } from "@honeymesh/notify/notifier";
import { SyslogSink, type SyslogStats } from "@honeymesh/notify/syslog";
import type { BanChange } from "@honeymesh/schema/ban";
import type { Health } from "@honeymesh/schema/health";
import { notifierFor, type TargetConfig } from "./targets.ts";

export interface NotifyTargetStatus extends NotifierStats {
  name: string;
  type: string;
  events: string[];
}

/**
 * Turns what the bus says into operator events and hands each to the targets that asked for it.
 * Runs in apid, beside the API and the live stream that already follow the same topics; a handler
 * only calls Notifier.accept (constant time, bounded), so no receiver can slow the bus or the
 * decisions behind it. Events: ban (added, by reason, jail and origin), trap session with
 * credentials, mode change, enforcement unavailable (or back), mesh peer lost.
 */
export class NotifyHub {
  private readonly targets = new Map<string, { cfg: TargetConfig; n: Notifier }>();
  private lastMode: string | undefined;
  private lastKernel: string | undefined;
  private lastPeers: number | undefined;

  private readonly syslog: SyslogSink | undefined;
  private readonly syslogEvents: readonly string[];

  constructor(
    config: FrozenConfig["notify"],
    private readonly nodeId: string,
    sys?: FrozenConfig["syslog"],
    version = "",
  ) {
    for (const [name, cfg] of Object.entries(config)) this.targets.set(name, { cfg, n: notifierFor(name, cfg, nodeId) });
    this.syslogEvents = sys?.enabled ? sys.events : [];
    if (sys?.enabled) {
      const i = sys.target.lastIndexOf(":");
      const host = sys.target.slice(0, i).replace(/^\[|\]$/g, "");
      this.syslog = new SyslogSink({ host, port: Number(sys.target.slice(i + 1)), transport: sys.transport, format: sys.format, facility: sys.facility, appName: sys.app_name, node: nodeId, version, maxQueue: sys.max_queue });
    }
  }

  async attach(bus: BusClient): Promise<void> {
    if (this.targets.size === 0 && !this.syslog) return;
    await bus.subscribe("enforcerd", "ban", (c) => this.onBan(c));
    await bus.subscribe("trapd", "session", (b) => {
      for (const s of b.sessions) {
        if (s.credentials.length === 0) continue;
        this.emit({ type: "session", at: s.ended_at, service: s.service, src: s.src, usernames: [...new Set(s.credentials.map((c) => c.username))].slice(0, 5), credentials: s.credentials.length, commands: s.commands.length });
      }
    });
    await bus.subscribe("enforcerd", "health", (h) => this.onEnforcerHealth(h));
    await bus.subscribe("meshd", "metrics", (m) => {
      if (m.service !== "meshd") return;
      const now = m.peers_connected;
      if (this.lastPeers !== undefined && now < this.lastPeers) this.emit({ type: "peer_lost", at: Date.now(), connected: now, previous: this.lastPeers });
      this.lastPeers = now;
    });
  }

  private onBan(c: BanChange): void {
    if (c.change !== "added") return;
    const local = c.origin === this.nodeId;
    const reasons = reasonNames(c.reasons);
    const jails = c.evidence.flatMap((e) => (e.jail ? [e.jail] : []));
    const e: NotifyEvent = { type: "ban", at: c.at, address: c.address.text, reasons, origin: c.origin, local, jails, summary: c.evidence[0]?.summary ?? "", expires_at: c.expires_at };
    if (this.syslogEvents.includes("ban")) this.syslog?.accept(e);
    for (const { cfg, n } of this.targets.values()) {
      if (!cfg.events.includes("ban")) continue;
      if (cfg.origins !== "any" && (cfg.origins === "local") !== local) continue;
      if (cfg.reasons.length > 0 && !reasons.some((r) => cfg.reasons.some((w) => w.toUpperCase() === r))) continue;
      if (cfg.jails.length > 0 && !jails.some((j) => cfg.jails.includes(j))) continue;
      n.accept(e);
    }
  }

  private onEnforcerHealth(h: Health): void {
    const en = h.enforcement;
    if (!en) return;
    if (this.lastMode !== undefined && en.mode !== this.lastMode) this.emit({ type: "mode", at: Date.now(), mode: en.mode, source: en.source });
    // The first report counts too when it says unavailable: a node that starts without enforcement is news.
    if (en.kernel !== this.lastKernel && (this.lastKernel !== undefined || en.kernel === "unavailable")) {
      const detail = h.degraded.find((d) => d.code === "enforcement_unavailable")?.detail ?? "";
      this.emit({ type: "enforcement", at: Date.now(), kernel: en.kernel, detail });
    }
    this.lastMode = en.mode;
    this.lastKernel = en.kernel;
  }

  private emit(e: Exclude<NotifyEvent, { type: "ban" | "test" }>): void {
    if (this.syslogEvents.includes(e.type)) this.syslog?.accept(e);
    for (const { cfg, n } of this.targets.values()) if ((cfg.events as readonly string[]).includes(e.type)) n.accept(e);
  }

  has(name: string): boolean {
    return this.targets.has(name);
  }

  /** Sends a test message to one target now, past the queue; throws the delivery's error. */
  test(name: string): Promise<void> {
    const t = this.targets.get(name)!;
    return t.n.sendNow({ kind: "event", event: { type: "test", at: Date.now(), target: name } });
  }

  list(): NotifyTargetStatus[] {
    return [...this.targets].map(([name, { cfg, n }]) => ({ name, type: cfg.type, events: [...cfg.events], ...n.stats }));
  }

  syslogStats(): SyslogStats | null {
    return this.syslog ? { ...this.syslog.stats } : null;
  }

  stop(): void {
    this.syslog?.stop();
    for (const { n } of this.targets.values()) n.stop();
  }
}
