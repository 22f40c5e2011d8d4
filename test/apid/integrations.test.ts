// Real Fail2Ban and a real CrowdSec bouncer (Debian packages fail2ban, crowdsec-custom-bouncer)
// driving and reading apid.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { ROOT, waitFor } from "../support/bus-node.ts";
import { fail2banConfig, sshdFailure } from "./fail2ban.ts";
import { ApiNode } from "./harness.ts";

function requireTool(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install -y ${pkg}`);
}

let n: ApiNode;
const procs: Subprocess[] = [];
beforeAll(async () => {
  n = await new ApiNode().start();
});
afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
  await Promise.all(procs.map((p) => p.exited));
  await n?.stop();
});

describe("a real Fail2Ban with the HoneyMesh action", () => {
  test("sshd failures in a log → Fail2Ban ban → an EXTERNAL ban in HoneyMesh; fail2ban unban ends it", async () => {
    const { dir, log, sock, args } = fail2banConfig(join(n.node.stateDir, "fail2ban"));
    const client = (a: string[]) => Bun.spawn(args(a), { env: n.env(), stdout: "pipe", stderr: "pipe" });
    const server = client(["-f", "-x", "start"]);
    procs.push(server);
    await waitFor(() => existsSync(sock), 20_000, "fail2ban socket");
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await client(["status", "sshd"]).exited) !== 0) await Bun.sleep(200);

    for (let i = 0; i < 3; i++) {
      appendFileSync(log, sshdFailure("203.0.113.80", 4000 + i));
      await Bun.sleep(300);
    }
    let ban: any;
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const r = await n.req("GET", "/v1/bans/203.0.113.80");
      if (r.status === 200) {
        ban = r.json;
        break;
      }
      await Bun.sleep(200);
    }
    expect(ban, `no ban; fail2ban log:\n${readFileSync(join(dir, "fail2ban.log"), "utf8").slice(-2000)}`).toBeDefined();
    expect(ban.reasons).toEqual(["EXTERNAL"]);
    expect(Math.round((ban.expires_at - Date.now()) / 1000)).toBeGreaterThan(850);

    expect(await client(["set", "sshd", "unbanip", "203.0.113.80"]).exited).toBe(0);
    const gone = Date.now() + 15_000;
    let status = 200;
    while (Date.now() < gone && status === 200) {
      status = (await n.req("GET", "/v1/bans/203.0.113.80")).status;
      await Bun.sleep(200);
    }
    expect(status).toBe(404);
    await client(["stop"]).exited;
    await server.exited;
  }, 90_000);
});

describe("a real CrowdSec bouncer pointed at apid", () => {
  test("crowdsec-custom-bouncer receives HoneyMesh's bans (add) and unbans (del)", async () => {
    requireTool("/usr/bin/crowdsec-custom-bouncer", "crowdsec-custom-bouncer");
    const dir = join(n.node.stateDir, "bouncer");
    mkdirSync(dir);
    const calls = join(dir, "calls.txt");
    writeFileSync(calls, "");
    const script = join(dir, "record.sh");
    writeFileSync(script, `#!/bin/sh\necho "$1 $2 $3" >> ${calls}\n`);
    chmodSync(script, 0o755);
    await n.req("POST", "/v1/bans", { body: { address: "203.0.113.90", ttl_s: 3600 } });
    const key = (await n.req("POST", "/v1/tokens", { body: { name: "custom-bouncer", kind: "bouncer" } })).json.token;
    const cfg = join(dir, "bouncer.yaml");
    writeFileSync(
      cfg,
      [
        `bin_path: ${script}`,
        "feed_via_stdin: false",
        "total_retries: 0",
        "scenarios_containing: []",
        "scenarios_not_containing: []",
        "origins: []",
        `piddir: ${dir}`,
        "update_frequency: 1s",
        "cache_retention_duration: 10s",
        "daemonize: false",
        "log_mode: stdout",
        "log_level: info",
        `api_url: ${n.base}/`,
        `api_key: ${key}`,
        "prometheus:",
        "  enabled: false",
        "  listen_addr: 127.0.0.1",
        "  listen_port: 60602",
        "",
      ].join("\n"),
    );
    const out = join(dir, "bouncer.log");
    // exec: the shell becomes the bouncer, so its pid is the bouncer's.
    const bouncer = Bun.spawn(["sh", "-c", `exec /usr/bin/crowdsec-custom-bouncer -c '${cfg}' > '${out}' 2>&1`], { stdout: "ignore", stderr: "ignore" });
    procs.push(bouncer);
    const seen = (line: RegExp) => readFileSync(calls, "utf8").split("\n").some((l) => line.test(l));
    await waitFor(() => seen(/^add 203\.0\.113\.90 \d+\b/), 20_000, "bouncer add of the startup ban").catch(async (e) => {
      bouncer.kill("SIGKILL");
      throw new Error(`${(e as Error).message}; calls: [${readFileSync(calls, "utf8")}] bouncer said: ${readFileSync(out, "utf8").slice(0, 300)}`);
    });
    await n.req("POST", "/v1/bans", { body: { address: "203.0.113.91", ttl_s: 600 } });
    await waitFor(() => seen(/^add 203\.0\.113\.91 (59\d|600)\b/), 20_000, "bouncer add of a new ban");
    await n.req("DELETE", "/v1/bans/203.0.113.90");
    await waitFor(() => seen(/^del 203\.0\.113\.90\b/), 20_000, "bouncer del of the unban");
    bouncer.kill("SIGTERM");
    await bouncer.exited;
  }, 90_000);
});
