import { engineEnv } from "@honeymesh/runtime/engine-env";
import { readJsonLines } from "@honeymesh/jsonl/read";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { Health } from "../../packages/schema/src/health.ts";
import type { MetricsOf } from "../../packages/schema/src/metrics.ts";
import type { BusIdentity, ServiceName } from "../../packages/schema/src/services.ts";
import type { Kind } from "../../packages/schema/src/topics.ts";
import { ROOT, TestNode, waitFor, freePort } from "./bus-node.ts";
import type { NetnsPair } from "./netns.ts";

export interface BusLine {
  topic: string;
  /** The message body; `address` is the ban vocabulary's {kind, text} on decisions and ban changes. */
  d: Record<string, unknown> & { address?: { kind: string; text: string } };
}

/**
 * A node whose processes run inside the victim namespace of a pair (its bus is that namespace's
 * loopback), driven from the test through a bus agent process in the same namespace.
 */
export class NsNode {
  readonly node = new TestNode();
  readonly lines: BusLine[] = [];
  private agent: Subprocess<"pipe", "pipe", "inherit"> | undefined;
  private readonly services = new Map<string, Subprocess>();

  constructor(
    readonly pair: NetnsPair,
    private readonly extraEnv: Record<string, string>,
    /** What the bus agent listens to; a bench keeps it to what it reads (every kind costs verifications). */
    private readonly agentKinds = ["ban", "syn", "health", "metrics", "decision", "result"],
  ) {}

  env(more: Record<string, string> = {}): Record<string, string> {
    return this.node.env({ HONEYMESH_API_LISTEN: `127.0.0.1:${freePort()}`, HONEYMESH_MESH_LISTEN: `127.0.0.1:${freePort()}`, ...this.extraEnv, ...more });
  }

  async start(): Promise<this> {
    await this.node.init();
    this.spawn("busd");
    await waitFor(() => this.portOpen(), 10_000, "busd in the namespace");
    this.agent = Bun.spawn(this.pair.argv("victim", [process.execPath, join(ROOT, "test/fixtures/bus-agent.ts"), this.node.stateDir, this.node.nodeId, String(this.node.busPort), this.agentKinds.join(",")]), {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
      env: this.env(),
    });
    void this.read(this.agent.stdout);
    await waitFor(() => this.lines.some((l) => l.topic === "agent/ready"), 10_000, "bus agent");
    return this;
  }

  private portOpen(): boolean {
    const r = Bun.spawnSync(this.pair.argv("victim", ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${this.node.busPort}`]), { stderr: "ignore" });
    return r.exitCode === 0;
  }

  private read(stream: ReadableStream<Uint8Array>): Promise<void> {
    return readJsonLines<BusLine>(stream, (v) => {
      this.lines.push(v);
    });
  }

  spawn(name: string, more: Record<string, string> = {}, args: string[] = []): Subprocess {
    // Benches may ask for CPU profiles of the services (a directory in HM_BENCH_CPU_PROF).
    const prof = process.env.HM_BENCH_CPU_PROF ? ["--cpu-prof-md", `--cpu-prof-dir=${process.env.HM_BENCH_CPU_PROF}`, `--cpu-prof-name=${name}.md`] : [];
    // The JS engine settings every launch path gives a service ([node] memory_hint_mb's default), so a bench measures it as deployed.
    const engine = engineEnv(name as ServiceName, 256);
    const p = Bun.spawn(this.pair.argv("victim", [process.execPath, ...prof, join(ROOT, `services/${name}/src/main.ts`), ...args]), { cwd: ROOT, env: { ...engine, ...this.env(more) }, stdout: "ignore", stderr: "inherit" });
    this.services.set(name, p);
    return p;
  }

  /** Runs a helper process in the namespace whose stdout JSON lines ({topic, d}) join `lines`. */
  spawnReader(argv: string[]): Subprocess {
    const p = Bun.spawn(this.pair.argv("victim", argv), { cwd: ROOT, env: this.env(), stdout: "pipe", stderr: "inherit" });
    this.services.set(`reader-${p.pid}`, p);
    void this.read(p.stdout);
    return p;
  }

  proc(name: string): Subprocess | undefined {
    return this.services.get(name);
  }

  publish(as: BusIdentity, kind: Kind, d: unknown): void {
    this.agent!.stdin.write(`${JSON.stringify({ as, kind, d })}\n`);
    this.agent!.stdin.flush();
  }

  /** Latest health of a service. */
  health(service: string): Health | undefined {
    return this.latest(`hm/v1/${service}/health`) as Health | undefined;
  }

  /** Latest typed metrics of a service (the agent must listen to `metrics`). */
  metrics<S extends ServiceName>(service: S): MetricsOf<S> | undefined {
    return this.latest(`hm/v1/${service}/metrics`) as MetricsOf<S> | undefined;
  }

  private latest(topic: string): unknown {
    for (let i = this.lines.length - 1; i >= 0; i--) if (this.lines[i]!.topic === topic) return this.lines[i]!.d;
    return undefined;
  }

  async waitLine(pred: (l: BusLine) => boolean, timeoutMs: number, what: string, from = 0): Promise<BusLine> {
    await waitFor(() => this.lines.slice(from).some(pred), timeoutMs, what);
    return this.lines.slice(from).find(pred)!;
  }

  async stop(): Promise<void> {
    for (const p of this.services.values()) if (p.exitCode === null) p.kill("SIGTERM");
    await Promise.race([Promise.all([...this.services.values()].map((p) => p.exited)), Bun.sleep(5_000)]);
    for (const p of this.services.values()) if (p.exitCode === null) p.kill("SIGKILL");
    this.agent?.kill("SIGKILL");
    await this.node.stop();
  }
}
