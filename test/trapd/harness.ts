import { readJsonLines } from "@honeymesh/jsonl/read";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { openReadOnly } from "../../packages/db/src/open.ts";
import type { MetricsOf } from "../../packages/schema/src/metrics.ts";
import type { TrapHit, TrapSession } from "../../packages/schema/src/trap.ts";
import * as schema from "@honeymesh/tables/trapd";
import { ROOT, TestNode, freePort, waitFor } from "../support/bus-node.ts";
import type { NetnsPair } from "../support/netns.ts";

export const TRAPS = ["ssh", "telnet", "ftp", "http", "smtp", "redis", "mysql"] as const;
export type TrapName = (typeof TRAPS)[number];
export const DEFAULT_PORTS: Record<TrapName, number> = { ssh: 2222, telnet: 2323, ftp: 2121, http: 8081, smtp: 2525, redis: 6380, mysql: 3307 };

/** A row of trapd.sqlite's sessions table, as another process reads it. */
export interface StoredRow {
  session_id: string;
  service: string;
  src: string;
  src_port: number;
  bytes_in: number;
  credentials: TrapSession["credentials"];
  commands: string[];
  payload: Uint8Array;
  entropy: number;
  meta: Record<string, string>;
  end_reason: string;
}

interface Line {
  topic: "hit" | "session" | "health" | "metrics" | "ready";
  d: Record<string, unknown>;
}

/**
 * busd + trapd (the real processes) and a bus subscriber, on loopback or inside the victim
 * namespace of a pair. Exposes what trapd published and what it stored in trapd.sqlite.
 */
export class TrapNode {
  readonly node = new TestNode();
  readonly lines: Line[] = [];
  readonly ports: Record<TrapName, number>;
  readonly genericPorts: number[];
  private readonly procs: Subprocess[] = [];
  trapd: Subprocess | undefined;

  constructor(
    private readonly env: Record<string, string> = {},
    private readonly pair?: NetnsPair,
    genericCount = 0,
  ) {
    // In a fresh namespace the default ports are free; on loopback take free ones.
    this.ports = Object.fromEntries(TRAPS.map((t) => [t, pair ? DEFAULT_PORTS[t] : freePort()])) as Record<TrapName, number>;
    this.genericPorts = Array.from({ length: genericCount }, (_, i) => (pair ? 9200 + i : freePort()));
  }

  private argv(cmd: string[]): string[] {
    return this.pair ? this.pair.argv("victim", cmd) : cmd;
  }

  private spawn(cmd: string[], env: Record<string, string>, stdout: "pipe" | "ignore" = "ignore"): Subprocess<"ignore", "pipe" | "ignore", "inherit"> {
    const p = Bun.spawn(this.argv(cmd), { cwd: ROOT, env: this.node.env(env), stdout, stderr: "inherit" });
    this.procs.push(p);
    return p as Subprocess<"ignore", "pipe" | "ignore", "inherit">;
  }

  private portOpen(port: number): boolean {
    const r = Bun.spawnSync(this.argv(["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${port}`]), { stderr: "ignore" });
    return r.exitCode === 0;
  }

  trapdEnv(): Record<string, string> {
    const env: Record<string, string> = { HONEYMESH_TRAPS_BIND: this.pair ? "::" : "127.0.0.1", HONEYMESH_TRAPS_AUTH_DELAY_MS: "20", ...this.env };
    for (const t of TRAPS) env[`HONEYMESH_TRAPS_${t.toUpperCase()}_PORT`] = String(this.ports[t]);
    if (this.genericPorts.length) {
      env.HONEYMESH_TRAPS_GENERIC_ENABLED = "true";
      env.HONEYMESH_TRAPS_GENERIC_PORTS = this.genericPorts.join(",");
    }
    return env;
  }

  async start(): Promise<this> {
    await this.node.init();
    this.spawn([process.execPath, join(ROOT, "services/busd/src/main.ts")], {});
    await waitFor(() => this.portOpen(this.node.busPort), 10_000, "busd");
    const agent = this.spawn([process.execPath, join(ROOT, "test/trapd/fixtures/trap-agent.ts"), this.node.stateDir, this.node.nodeId, String(this.node.busPort)], {}, "pipe");
    void this.read(agent.stdout as ReadableStream<Uint8Array>);
    await waitFor(() => this.lines.some((l) => l.topic === "ready"), 10_000, "trap agent");
    this.startTrapd();
    await waitFor(() => this.metrics() !== undefined, 15_000, "trapd metrics");
    return this;
  }

  startTrapd(): Subprocess {
    this.trapd = this.spawn([process.execPath, join(ROOT, "services/trapd/src/main.ts")], this.trapdEnv());
    return this.trapd;
  }

  private read(stream: ReadableStream<Uint8Array>): Promise<void> {
    return readJsonLines<Line>(stream, (v) => {
      this.lines.push(v);
    });
  }

  /** trapd's latest typed metrics. */
  metrics(): MetricsOf<"trapd"> | undefined {
    for (let i = this.lines.length - 1; i >= 0; i--) if (this.lines[i]!.topic === "metrics") return this.lines[i]!.d as MetricsOf<"trapd">;
    return undefined;
  }

  rss(): number {
    for (let i = this.lines.length - 1; i >= 0; i--) if (this.lines[i]!.topic === "health") return Number(this.lines[i]!.d.rss_bytes);
    return 0;
  }

  hits(): TrapHit[] {
    return this.lines.filter((l) => l.topic === "hit").map((l) => l.d as unknown as TrapHit);
  }

  sessions(): TrapSession[] {
    return this.lines.filter((l) => l.topic === "session").map((l) => l.d as unknown as TrapSession);
  }

  async waitSession(pred: (s: TrapSession) => boolean, what: string, timeoutMs = 15_000): Promise<TrapSession> {
    await waitFor(() => this.sessions().some(pred), timeoutMs, what);
    return this.sessions().find(pred)!;
  }

  /** The stored row of a session, read from trapd's own SQLite file. */
  stored(sessionId: string): StoredRow | undefined {
    const db = openReadOnly(join(this.node.stateDir, "trapd.sqlite"), schema);
    try {
      const row = db.sqlite.query("SELECT * FROM sessions WHERE session_id = ?").get(sessionId) as Record<string, unknown> | null;
      if (!row) return undefined;
      return {
        ...(row as unknown as StoredRow),
        credentials: JSON.parse(String(row.credentials)) as TrapSession["credentials"],
        commands: JSON.parse(String(row.commands)) as string[],
        meta: JSON.parse(String(row.meta)) as Record<string, string>,
      };
    } finally {
      db.close();
    }
  }

  /** Sessions reach SQLite in batches (every 50 ms): wait for the row rather than race the flush. */
  async waitStored(sessionId: string, timeoutMs = 5_000): Promise<StoredRow> {
    await waitFor(() => this.stored(sessionId) !== undefined, timeoutMs, `session ${sessionId} in trapd.sqlite`);
    return this.stored(sessionId)!;
  }

  storedCount(): number {
    const db = openReadOnly(join(this.node.stateDir, "trapd.sqlite"), schema);
    try {
      return (db.sqlite.query("SELECT count(*) AS n FROM sessions").get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  async stop(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null) p.kill("SIGTERM");
    await Promise.race([Promise.all(this.procs.map((p) => p.exited)), Bun.sleep(5_000)]);
    for (const p of this.procs) if (p.exitCode === null) p.kill("SIGKILL");
    await this.node.stop();
  }
}
