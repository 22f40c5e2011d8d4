import { readJsonLines } from "@honeymesh/jsonl/read";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { generateKeyPair, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import type { Health } from "../../../packages/schema/src/health.ts";
import type { MetricsOf } from "../../../packages/schema/src/metrics.ts";
import type { BusIdentity } from "../../../packages/schema/src/services.ts";
import type { Kind } from "../../../packages/schema/src/topics.ts";
import { ROOT, TestNode, waitFor } from "../../support/bus-node.ts";
import type { BridgeHost } from "../../support/bridge.ts";

export const MESH_PORT = 7946;

export interface BusLine {
  topic: string;
  /** The message body; `address` is the ban vocabulary's {kind, text} on decisions and ban changes. */
  d: Record<string, unknown> & { address?: { kind: string; text: string } };
  /** Receive time in the agent, ms since the epoch (sub-ms). */
  t: number;
}

/**
 * One HoneyMesh node on a bridge host: busd, any services, and a bus agent, all inside the
 * host's namespace. Its mesh identity is made up front so tests can name its peer id in
 * other nodes' `peer_trust`. Like test/support/ns-node.ts, generalized to N hosts.
 */
export class MeshTestNode {
  readonly node = new TestNode();
  readonly lines: BusLine[] = [];
  peerId = "";
  private agent: Subprocess<"pipe", "pipe", "inherit"> | undefined;
  private readonly services = new Map<string, Subprocess>();
  private extra: Record<string, string> = {};

  constructor(readonly host: BridgeHost) {}

  get nodeId(): string {
    return this.node.nodeId;
  }

  get addr(): string {
    return `${this.host.v4}:${MESH_PORT}`;
  }

  /** Keys for the bus and the mesh identity; call before start(). */
  async prepare(): Promise<this> {
    await this.node.init();
    const key = await generateKeyPair("Ed25519");
    mkdirSync(join(this.node.stateDir, "meshd"), { recursive: true, mode: 0o700 });
    writeFileSync(join(this.node.stateDir, "meshd", "identity.key"), privateKeyToProtobuf(key), { mode: 0o600 });
    this.peerId = peerIdFromPrivateKey(key).toString();
    return this;
  }

  env(more: Record<string, string> = {}): Record<string, string> {
    return this.node.env({ HONEYMESH_API_LISTEN: `127.0.0.1:${this.node.busPort + 1}`, HONEYMESH_MESH_LISTEN: this.addr, ...this.extra, ...more });
  }

  /** busd (on `busHost`, loopback by default) and the agent; `extra` env applies to every service. */
  async start(extra: Record<string, string> = {}, busHost = "127.0.0.1"): Promise<this> {
    this.extra = { ...extra, HONEYMESH_BUS_LISTEN: `${busHost}:${this.node.busPort}` };
    this.spawn("busd");
    await waitFor(() => this.portOpen(busHost), 15_000, `busd on ${this.host.name}`);
    this.agent = Bun.spawn(this.host.argv([process.execPath, join(import.meta.dir, "../fixtures/mesh-agent.ts"), this.node.stateDir, this.node.nodeId, `${busHost}:${this.node.busPort}`, "ban,decision,health,metrics,result"]), {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
      env: this.env(),
    });
    void this.read(this.agent.stdout);
    await waitFor(() => this.lines.some((l) => l.topic === "agent/ready"), 15_000, `bus agent on ${this.host.name}`);
    return this;
  }

  private portOpen(host: string): boolean {
    const r = Bun.spawnSync(this.host.argv(["bash", "-c", `exec 3<>/dev/tcp/${host}/${this.node.busPort}`]), { stderr: "ignore" });
    return r.exitCode === 0;
  }

  private read(stream: ReadableStream<Uint8Array>): Promise<void> {
    return readJsonLines<BusLine>(stream, (v) => {
      this.lines.push(v);
      // Bounded: a long bench keeps only the recent lines.
      if (this.lines.length > 200_000) this.lines.splice(0, 100_000);
    });
  }

  /** `runtime`: flags for bun itself (a bench's --cpu-prof-md). */
  spawn(name: string, more: Record<string, string> = {}, runtime: string[] = []): Subprocess {
    const p = Bun.spawn(this.host.argv([process.execPath, ...runtime, join(ROOT, `services/${name}/src/main.ts`)]), { cwd: ROOT, env: this.env(more), stdout: "ignore", stderr: "inherit" });
    this.services.set(name, p);
    return p;
  }

  /** A helper process in the host's namespace whose JSON stdout lines join this node's lines. */
  spawnReader(argv: string[]): Subprocess {
    const p = Bun.spawn(this.host.argv(argv), { cwd: ROOT, env: this.env(), stdout: "pipe", stderr: "inherit" });
    this.services.set(`reader-${p.pid}`, p);
    void this.read(p.stdout);
    return p;
  }

  publish(as: BusIdentity, kind: Kind, d: unknown): void {
    this.agent!.stdin.write(`${JSON.stringify({ as, kind, d })}\n`);
    this.agent!.stdin.flush();
  }

  health(service: string): Health | undefined {
    return this.latest(`hm/v1/${service}/health`) as Health | undefined;
  }

  /** meshd's latest typed metrics. */
  meshd(): MetricsOf<"meshd"> | undefined {
    return this.latest("hm/v1/meshd/metrics") as MetricsOf<"meshd"> | undefined;
  }

  /** The metrics of meshd's one cluster (these tests and benches configure one). */
  cluster(): MetricsOf<"meshd">["clusters"][number] | undefined {
    return this.meshd()?.clusters[0];
  }

  private latest(topic: string): unknown {
    for (let i = this.lines.length - 1; i >= 0; i--) if (this.lines[i]!.topic === topic) return this.lines[i]!.d;
    return undefined;
  }

  find(pred: (l: BusLine) => boolean, from = 0): BusLine | undefined {
    for (let i = from; i < this.lines.length; i++) if (pred(this.lines[i]!)) return this.lines[i];
    return undefined;
  }

  async waitLine(pred: (l: BusLine) => boolean, timeoutMs: number, what: string, from = 0): Promise<BusLine> {
    await waitFor(() => this.find(pred, from) !== undefined, timeoutMs, `${what} on ${this.host.name}`);
    return this.find(pred, from)!;
  }

  async stop(): Promise<void> {
    for (const p of this.services.values()) if (p.exitCode === null) p.kill("SIGTERM");
    await Promise.race([Promise.all([...this.services.values()].map((p) => p.exited)), Bun.sleep(6_000)]);
    for (const p of this.services.values()) if (p.exitCode === null) p.kill("SIGKILL");
    this.agent?.kill("SIGKILL");
    await this.node.stop();
  }
}
