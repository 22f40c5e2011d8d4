import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { BusClient } from "../../packages/bus/src/client.ts";
import { ensureKeys, loadSigningKey, readJwks } from "../../packages/keys/src/keystore.ts";
import { BUS_IDENTITIES, type BusIdentity } from "../../packages/schema/src/services.ts";
import { createLogger } from "../../packages/telemetry/src/logger.ts";

export const ROOT = resolve(import.meta.dir, "..", "..");
const silent = createLogger("test", "error", () => {});

/** A free TCP port on loopback (bind 0, read, close). */
export function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const s = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      s.end();
      return;
    } catch {
      await Bun.sleep(50);
    }
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/** A node's state dir with keys for every identity, a bus port, and env for its processes. */
export class TestNode {
  readonly stateDir = mkdtempSync(join(tmpdir(), "hm-test-"));
  readonly nodeId = `t${crypto.randomUUID().slice(0, 6)}`;
  readonly busPort = freePort();
  /** The broker's Unix socket under the default `[bus] socket` (services connect there). */
  get busSocket(): string {
    return join(this.stateDir, "run", "bus.sock");
  }
  private readonly procs: Subprocess[] = [];
  private readonly clients: BusClient[] = [];

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      HONEYMESH_NODE_STATE_DIR: this.stateDir,
      HONEYMESH_NODE_ID: this.nodeId,
      HONEYMESH_BUS_LISTEN: `127.0.0.1:${this.busPort}`,
      HONEYMESH_NODE_HEALTH_INTERVAL_S: "0.5",
      HONEYMESH_NODE_LOG_LEVEL: "warn",
      ...extra,
    };
  }

  async init(): Promise<this> {
    await ensureKeys(this.stateDir, this.nodeId, BUS_IDENTITIES);
    return this;
  }

  spawn(cmd: string[], extraEnv: Record<string, string> = {}): Subprocess {
    const p = Bun.spawn(cmd, { cwd: ROOT, env: this.env(extraEnv), stdout: "ignore", stderr: "inherit" });
    this.procs.push(p);
    return p;
  }

  async startBusd(): Promise<Subprocess> {
    const p = this.spawn([process.execPath, join(ROOT, "services/busd/src/main.ts")]);
    await waitForPort(this.busPort);
    return p;
  }

  async client(identity: BusIdentity, clientId = `${identity}-${crypto.randomUUID().slice(0, 8)}`, via: "tcp" | "unix" = "tcp"): Promise<BusClient> {
    const c = await BusClient.connect({
      url: via === "unix" ? `unix://${this.busSocket}` : `mqtt://127.0.0.1:${this.busPort}`,
      key: await loadSigningKey(this.stateDir, identity, this.nodeId),
      jwks: () => readJwks(this.stateDir),
      logger: silent,
      clientId,
    });
    this.clients.push(c);
    return c;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close(true)));
    for (const p of this.procs) if (p.exitCode === null) p.kill("SIGKILL");
    await Promise.all(this.procs.map((p) => p.exited));
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
