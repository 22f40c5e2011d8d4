import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { freePort, ROOT, TestNode, waitForPort } from "../support/bus-node.ts";

export interface CurlResult {
  status: number;
  type: string;
  body: string;
  json: any;
}

/** curl, the real client: `-w` appends status and content type after the body. */
export async function curl(args: string[]): Promise<CurlResult> {
  const p = Bun.spawn(["curl", "-s", "-g", "--max-time", "20", "-w", "\n__HM__%{http_code} %{content_type}", ...args], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  await p.exited;
  const i = out.lastIndexOf("\n__HM__");
  const [code, ...type] = out.slice(i + 7).split(" ");
  const body = out.slice(0, i);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: Number(code), type: type.join(" "), body, json };
}

/** busd + enforcerd (no kernel: it records decisions only) + apid on a free port. */
export class ApiNode {
  readonly node = new TestNode();
  readonly port = freePort();
  apid!: Subprocess;
  enforcerd!: Subprocess;
  admin = "";

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return this.node.env({
      HONEYMESH_API_LISTEN: `127.0.0.1:${this.port}`,
      HONEYMESH_ENFORCER_BPF_OBJECT: "/nonexistent",
      HONEYMESH_API_AUTH_FAILURES_PER_MIN: "100000",
      HONEYMESH_ENFORCER_REAP_INTERVAL_S: "0.2",
      ...extra,
    });
  }

  async start(extra: Record<string, string> = {}, withEnforcerd = true, args: string[] = []): Promise<this> {
    await this.node.init();
    await this.node.startBusd();
    const env = this.env(extra);
    if (withEnforcerd) this.enforcerd = this.node.spawn([process.execPath, join(ROOT, "services/enforcerd/src/main.ts"), ...args], env);
    this.apid = this.node.spawn([process.execPath, join(ROOT, "services/apid/src/main.ts"), ...args], env);
    await waitForPort(this.port, 20_000);
    this.admin = readFileSync(join(this.node.stateDir, "apid", "admin.token"), "utf8").trim();
    if (withEnforcerd) {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const s = await curl(["-H", `Authorization: Bearer ${this.admin}`, `${this.base}/v1/status`]);
        if (s.json?.services?.find((x: { name: string; up: boolean }) => x.name === "enforcerd")?.up) break;
        await Bun.sleep(100);
      }
    }
    return this;
  }

  /** curl with a bearer token (the admin's unless given). */
  req(method: string, path: string, opts: { token?: string | null; body?: unknown; raw?: string; headers?: string[] } = {}): Promise<CurlResult> {
    const args = ["-X", method];
    const token = opts.token === undefined ? this.admin : opts.token;
    if (token) args.push("-H", `Authorization: Bearer ${token}`);
    for (const h of opts.headers ?? []) args.push("-H", h);
    if (opts.body !== undefined || opts.raw !== undefined) args.push("-H", "content-type: application/json", "--data-binary", opts.raw ?? JSON.stringify(opts.body));
    return curl([...args, `${this.base}${path}`]);
  }

  async token(scope: "read" | "write" | "admin"): Promise<string> {
    const r = await this.req("POST", "/v1/tokens", { body: { name: `test-${scope}`, scope } });
    if (r.status !== 201) throw new Error(`token create: ${r.status} ${r.body}`);
    return r.json.token as string;
  }

  /** The CLI, as an operator on this node runs it (its admin token found in the state dir). */
  async cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    const p = Bun.spawn([process.execPath, join(ROOT, "cli/src/main.ts"), ...args], { cwd: ROOT, env: this.env(env), stdout: "pipe", stderr: "pipe" });
    const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
    return { code: await p.exited, out, err };
  }

  stop(): Promise<void> {
    return this.node.stop();
  }
}

export function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}
