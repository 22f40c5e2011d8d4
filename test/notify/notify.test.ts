import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { newWriteId, type Decision } from "@honeymesh/schema/decision";
import { verifySignature } from "../../packages/notify/src/sign.ts";
import { kernelSkipReason } from "../kernel/harness.ts";
import { freePort, ROOT, waitFor } from "../support/bus-node.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`notify e2e skipped: ${skip}`);
const SECRET = "e2e-hook-secret";

interface Post {
  path: string;
  signature: string | null;
  event: string | null;
  body: string;
}

/**
 * Notifications end to end: real enforcerd bans → apid's hub → a webhook receiver and an SMTP
 * server (Python's smtpd) on the node's loopback. One signed webhook per ban, a digest for a
 * burst, and `honeymesh notify test` through the CLI and the API to the mail relay.
 */
describe.skipIf(Boolean(skip))("notifications end to end", () => {
  let en: EnforcingNode;
  let smtpd: Subprocess<"ignore", "pipe", "pipe"> | undefined;
  let smtpOut = "";
  const dir = mkdtempSync(join(tmpdir(), "hm-notify-e2e-"));
  const cfg = join(dir, "honeymesh.toml");
  const apiPort = freePort();
  const smtpPort = freePort();
  const posts = () => en.node.lines.filter((l) => l.topic === "receiver/post").map((l) => l.d as unknown as Post);
  const decision = (text: string): Decision => ({ id: newWriteId("test"), action: "ban", address: { kind: "ip", text }, reasons: 1, ttl_s: 600, origin: en.node.node.nodeId, source: "scand", evidence: [{ kind: "trap", summary: "TRAP: ssh" }], offence: 1, at: Date.now() });
  const cli = (...args: string[]) => en.pair.run("victim", ["env", `HONEYMESH_NODE_STATE_DIR=${en.node.node.stateDir}`, `HONEYMESH_API_LISTEN=127.0.0.1:${apiPort}`, process.execPath, join(ROOT, "cli/src/main.ts"), "--config", cfg, ...args]);

  beforeAll(async () => {
    en = await startEnforcingNode({
      services: ["enforcerd", "apid"],
      agentKinds: ["health", "ban"],
      env: () => ({ HONEYMESH_API_LISTEN: `127.0.0.1:${apiPort}` }),
      beforeServices: async (node) => {
        node.spawnReader([process.execPath, join(ROOT, "test/fixtures/http-receiver.ts")]);
        const ready = await node.waitLine((l) => l.topic === "receiver/ready", 10_000, "receiver");
        const { port, syslog_port } = ready.d as { port: number; syslog_port: number };
        // Python's smtpd (Debian's python3 3.11) prints every message it receives.
        smtpd = Bun.spawn(node.pair.argv("victim", ["/usr/bin/python3", "-W", "ignore", "-u", "-m", "smtpd", "-n", "-c", "DebuggingServer", `127.0.0.1:${smtpPort}`]), { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
        void (async () => {
          for await (const chunk of smtpd!.stdout) smtpOut += new TextDecoder().decode(chunk);
        })();
        writeFileSync(
          cfg,
          [
            "[notify.hook]",
            'type = "webhook"',
            `url = "http://127.0.0.1:${port}/hook"`,
            `secret = "${SECRET}"`,
            'events = ["ban"]',
            "flush_s = 0.3",
            "itemise_max = 5",
            "rate_per_min = 600",
            "",
            "[notify.mail]",
            'type = "email"',
            'events = ["enforcement"]',
            'smtp_host = "127.0.0.1"',
            `smtp_port = ${smtpPort}`,
            'smtp_tls = "none"',
            'smtp_from = "honeymesh@example.org"',
            'smtp_to = ["ops@example.org"]',
            "",
            "[syslog]",
            "enabled = true",
            `target = "127.0.0.1:${syslog_port}"`,
            'format = "cef"',
            'events = ["ban"]',
            "",
          ].join("\n"),
        );
      },
      args: () => ["--config", cfg],
      timeoutMs: 30_000,
    });
  }, 60_000);
  afterAll(async () => {
    smtpd?.kill("SIGKILL");
    await en?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("one signed webhook per ban", async () => {
    for (const a of ["192.0.2.11", "192.0.2.12", "192.0.2.13"]) en.node.publish("scand", "decision", decision(a));
    await waitFor(() => posts().length >= 3, 15_000, "three webhooks");
    await Bun.sleep(700); // two more flushes: nothing else may arrive
    const p = posts();
    expect(p.length).toBe(3);
    for (const post of p) {
      expect(post.event).toBe("ban");
      expect(verifySignature(SECRET, post.body, post.signature ?? "")).toBe(true);
    }
    const syslog = en.node.lines.filter((l) => l.topic === "receiver/syslog").map((l) => (l.d as { message: string }).message);
    for (const a of ["192.0.2.11", "192.0.2.12", "192.0.2.13"]) expect(syslog.some((m) => /^<132>1 \S+ \S+ honeymesh \d+ ban - /.test(m) && m.includes(`src=${a}`))).toBe(true);
    expect(p.map((x) => (JSON.parse(x.body) as { event: { address: string; reasons: string[]; local: boolean } }).event).map((e) => `${e.address} ${e.reasons} ${e.local}`).sort()).toEqual(["192.0.2.11 TRAP true", "192.0.2.12 TRAP true", "192.0.2.13 TRAP true"]);
  }, 30_000);

  test("a 1000-ban burst arrives as digests that account for every ban", async () => {
    const from = posts().length;
    for (let i = 0; i < 1000; i++) en.node.publish("scand", "decision", decision(`198.51.${100 + (i >> 8)}.${i & 255}`));
    const counted = () =>
      posts()
        .slice(from)
        .reduce((n, p) => n + ((JSON.parse(p.body) as { kind: string; digest?: { total: number } }).digest?.total ?? 1), 0);
    await waitFor(() => counted() >= 1000, 60_000, "all 1000 bans notified");
    await Bun.sleep(700);
    const burst = posts().slice(from);
    expect(counted()).toBe(1000);
    expect(burst.some((p) => p.event === "digest")).toBe(true);
    expect(burst.length).toBeLessThan(50);
    for (const p of burst) expect(verifySignature(SECRET, p.body, p.signature ?? "")).toBe(true);
  }, 90_000);

  test("honeymesh notify test delivers an email through the SMTP relay; notify lists the counters", async () => {
    const r = await cli("notify", "test", "mail");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("delivered");
    await waitFor(() => smtpOut.includes("test notification for mail"), 10_000, "the mail at the relay");
    expect(smtpOut).toContain("Subject: HoneyMesh");
    expect(smtpOut).toContain("ops@example.org");
    const missing = await cli("notify", "test", "nope");
    expect(missing.code).toBe(1);
    const list = await cli("notify", "--json");
    const items = JSON.parse(list.stdout) as { name: string; sent: number; failed: number }[];
    expect(items.find((i) => i.name === "mail")).toMatchObject({ sent: 1, failed: 0 });
    expect(items.find((i) => i.name === "hook")!.sent).toBeGreaterThanOrEqual(4);
  }, 30_000);
});
