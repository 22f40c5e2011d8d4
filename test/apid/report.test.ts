import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BusClient } from "../../packages/bus/src/client.ts";
import { newWriteId, type Decision } from "../../packages/schema/src/decision.ts";
import { ApiNode } from "./harness.ts";

// Reporting end to end: decisions on a real bus → real enforcerd bans → apid's [report.abuse] →
// a local HTTP server on loopback playing AbuseIPDB (checks the Key header and the form).
const KEY = "e2e-abuse-key-7f3c";
const dir = mkdtempSync(join(tmpdir(), "hm-report-e2e-"));
const got: { key: string | null; ip: string; categories: string; comment: string }[] = [];
let server: ReturnType<typeof Bun.serve>;
let n: ApiNode;
let scand: BusClient;
let meshd: BusClient;

beforeAll(async () => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const f = new URLSearchParams(await req.text());
      got.push({ key: req.headers.get("key"), ip: f.get("ip") ?? "", categories: f.get("categories") ?? "", comment: f.get("comment") ?? "" });
      if (req.headers.get("key") !== KEY) return Response.json({ errors: [{ detail: "Authentication failed" }] }, { status: 401 });
      return Response.json({ data: { ipAddress: f.get("ip"), abuseConfidenceScore: 10 } });
    },
  });
  const keyFile = join(dir, "abuseipdb.key");
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  const cfg = join(dir, "honeymesh.toml");
  writeFileSync(cfg, ["[report.abuse]", 'type = "abuseipdb"', `url = "http://127.0.0.1:${server.port}/api/v2/report"`, `key_file = "${keyFile}"`, "rate_per_min = 600", 'categories = { TRAP = [15], "jail:sshd" = [18, 22], SCAN = [14] }', ""].join("\n"));
  n = await new ApiNode().start({}, true, ["--config", cfg]);
  scand = await n.node.client("scand");
  meshd = await n.node.client("meshd");
}, 60_000);
afterAll(async () => {
  server?.stop(true);
  await n?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(100);
  }
}

const decision = (text: string, over: Partial<Decision> = {}): Decision => ({ id: newWriteId("test"), action: "ban", address: { kind: "ip", text }, reasons: 1, ttl_s: 600, origin: n.node.nodeId, source: "scand", evidence: [{ kind: "trap", summary: "TRAP: ssh login root from 203.0.113.60 to 10.9.8.7", trap: "ssh" }], offence: 1, at: Date.now(), ...over });

describe("[report.abuse]: verified local bans reported to an AbuseIPDB-style API", () => {
  test("a verified trap ban is reported with the key, the configured categories (they replace the built-in ones) and a scrubbed comment; unverified and mesh bans are not", async () => {
    await scand.publish("decision", decision("203.0.113.61", { confidence: "unverified", reasons: 2, evidence: [{ kind: "scan", summary: "SCAN: SYNs to 3 ports" }] }));
    await meshd.publish("decision", decision("203.0.113.62", { origin: "peer-b", source: "meshd", reasons: 1 | 4 }));
    await scand.publish("decision", decision("203.0.113.60"));
    const counts = async () => (await n.req("GET", "/v1/notify")).json.reports[0];
    await waitFor(async () => (await counts()).sent >= 1 && (await n.req("GET", "/v1/bans")).json.items.length >= 3, 15_000, "report sent and three bans");
    // Both skipped bans exist (enforcerd banned them) but were never sent.
    const bans = (await n.req("GET", "/v1/bans")).json.items.map((b: { address: { text: string } }) => b.address.text).sort();
    expect(bans).toEqual(["203.0.113.60", "203.0.113.61", "203.0.113.62"]);
    await waitFor(async () => {
      const s = (await counts()).skipped;
      return s.unverified + s.not_local >= 2;
    }, 10_000, "both skips counted");
    expect(got).toEqual([{ key: KEY, ip: "203.0.113.60", categories: "15", comment: "HoneyMesh: TRAP: TRAP: ssh login root from 203.0.113.60 to [address]" }]);
    const s = await counts();
    expect(s).toMatchObject({ name: "abuse", type: "abuseipdb", host: `127.0.0.1:${server.port}`, sent: 1, failed: 0, skipped: { unverified: 1, not_local: 1, external: 0 } });
    expect(JSON.stringify(s)).not.toContain(KEY);
    const cli = await n.cli(["notify"]);
    expect(cli.out).toMatch(/abuse\s+abuseipdb\s+127\.0\.0\.1:\d+\s+1\s+0\s+0\s+not_local=1 unverified=1/);
  }, 40_000);
});
