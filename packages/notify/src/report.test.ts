import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postAbuseReport } from "./abuseipdb.ts";
import { badRules, categoriesOf, DEFAULT_CATEGORIES, reportComment, Reporter, type ReportBan, type ReporterOptions } from "./report.ts";

// A local HTTP server on loopback plays AbuseIPDB's POST /api/v2/report: it checks the Key header
// and the form, refuses the same address within 15 minutes of its own clock (as AbuseIPDB does),
// and can be told to fail the next requests.
const KEY = "k3y-abc123";
const received: { ip: string; categories: string; comment: string; timestamp: string }[] = [];
let failNext: number[] = [];
let serverNow = 0;
const lastAt = new Map<string, number>();
let server: ReturnType<typeof Bun.serve>;
let url = "";

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      if (req.method !== "POST" || new URL(req.url).pathname !== "/api/v2/report") return new Response("no", { status: 404 });
      if (req.headers.get("key") !== KEY) return Response.json({ errors: [{ detail: "Authentication failed" }] }, { status: 401 });
      if (!(req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return new Response("form expected", { status: 415 });
      const status = failNext.shift();
      if (status) return Response.json({ errors: [{ detail: "try later" }] }, { status });
      const f = new URLSearchParams(await req.text());
      const ip = f.get("ip") ?? "";
      const prev = lastAt.get(ip);
      if (prev !== undefined && serverNow - prev < 15 * 60_000) return Response.json({ errors: [{ detail: `You can only report the same IP address (${ip}) once in 15 minutes.` }] }, { status: 429 });
      lastAt.set(ip, serverNow);
      received.push({ ip, categories: f.get("categories") ?? "", comment: f.get("comment") ?? "", timestamp: f.get("timestamp") ?? "" });
      return Response.json({ data: { ipAddress: ip, abuseConfidenceScore: 52 } });
    },
  });
  url = `http://127.0.0.1:${server.port}/api/v2/report`;
});
afterAll(() => server?.stop(true));

const NODE = "node-a";
const T0 = 1_800_000_000_000;
const RULES = { SCAN: [14], TRAP: [15], BRUTEFORCE: [18], "BRUTEFORCE+ssh": [18, 22], "jail:sshd": [18, 22] };

function ban(address: string, over: Partial<ReportBan> = {}): ReportBan {
  return { address, kind: "ip", reasons: ["SCAN"], origin: NODE, confidence: "verified", evidence: [{ kind: "scan", summary: "SCAN: ports 22,80,443 within 1.2 s" }], at: T0, ...over };
}

function reporter(over: Partial<ReporterOptions> = {}, key = KEY): Reporter {
  return new Reporter({ send: (r) => postAbuseReport(url, key, r, 5000), categories: RULES, nodeId: NODE, exclude: (a) => (a === "203.0.113.99" ? "allowlisted" : undefined), ratePerMin: 60, minIntervalMs: 15 * 60_000, maxQueue: 100, retries: 2, backoffMs: 1, tickMs: 0, ...over }, T0);
}

describe("reporting bans to an AbuseIPDB-style API", () => {
  test("categories come from reasons, traps and jails", () => {
    expect(categoriesOf(ban("203.0.113.1"), RULES)).toEqual([14]);
    expect(categoriesOf(ban("203.0.113.1", { reasons: ["BRUTEFORCE"], evidence: [{ kind: "trap", summary: "x", trap: "ssh" }] }), RULES)).toEqual([18, 22]);
    expect(categoriesOf(ban("203.0.113.1", { reasons: ["BRUTEFORCE"], evidence: [{ kind: "jail", summary: "x", jail: "sshd" }] }), RULES)).toEqual([18, 22]);
    expect(categoriesOf(ban("203.0.113.1", { reasons: ["BRUTEFORCE"], evidence: [{ kind: "trap", summary: "x", trap: "ftp" }] }), RULES)).toEqual([18]);
    expect(categoriesOf(ban("203.0.113.1", { reasons: ["TRAP", "SCAN"] }), RULES)).toEqual([14, 15]);
    expect(categoriesOf(ban("203.0.113.1", { reasons: ["MANUAL"] }), RULES)).toEqual([]);
    expect(badRules(DEFAULT_CATEGORIES, ["SCAN", "TRAP", "BRUTEFORCE"])).toEqual([]);
    expect(badRules({ SCAN: [14], "NOPE+ssh": [1], "not a rule": [1], "jail:sshd": [22], "host:x": [1] }, ["SCAN"])).toEqual(["NOPE+ssh", "not a rule", "host:x"]);
  });

  test("the comment keeps the evidence but no internal address or host name", () => {
    const c = reportComment(ban("203.0.113.7", { evidence: [{ kind: "scan", summary: "SCAN: 203.0.113.7 hit ports 22,80 on 10.1.2.3 and fd00::5 (node-a.internal.lan) at 12:30:45" }, { kind: "trap", summary: "TRAP: ssh login root" }] }));
    expect(c).toContain("203.0.113.7");
    expect(c).toContain("ports 22,80");
    expect(c).toContain("12:30:45");
    expect(c).toContain("TRAP: ssh login root");
    for (const leak of ["10.1.2.3", "fd00::5", "internal.lan", "node-a"]) expect(c).not.toContain(leak);
    expect(reportComment(ban("203.0.113.7", { evidence: [{ kind: "scan", summary: "x".repeat(256) }, { kind: "scan", summary: "y".repeat(256) }, { kind: "scan", summary: "z".repeat(256) }, { kind: "scan", summary: "w".repeat(256) }, { kind: "scan", summary: "v".repeat(256) }] })).length).toBeLessThanOrEqual(1024);
  });

  test("only verified bans decided here are reported, with the key header, the form fields and the categories", async () => {
    received.length = 0;
    const r = reporter({ ratePerMin: 1000 });
    const skips = [
      r.accept(ban("203.0.113.10", { confidence: "unverified" }), T0),
      r.accept(ban("203.0.113.11", { origin: "peer-b" }), T0),
      r.accept(ban("203.0.113.12", { reasons: ["EXTERNAL"], evidence: [{ kind: "external", summary: "feed level1" }] }), T0),
      r.accept(ban("203.0.113.13", { reasons: ["SCAN", "MESH"] }), T0),
      r.accept(ban("203.0.113.0/24", { kind: "cidr" }), T0),
      r.accept(ban("203.0.113.99"), T0),
      r.accept(ban("203.0.113.14", { reasons: ["MANUAL"], evidence: [{ kind: "manual", summary: "operator" }] }), T0),
    ];
    expect(skips).toEqual(["unverified", "not_local", "external", "external", "prefix", "excluded", "no_category"]);
    expect(r.accept(ban("203.0.113.20", { reasons: ["BRUTEFORCE"], evidence: [{ kind: "trap", summary: "BRUTEFORCE: 12 ssh logins", trap: "ssh" }] }), T0)).toBeUndefined();
    await r.pump(T0 + 1);
    expect(received).toEqual([{ ip: "203.0.113.20", categories: "18,22", comment: "HoneyMesh: BRUTEFORCE: BRUTEFORCE: 12 ssh logins", timestamp: new Date(T0).toISOString() }]);
    expect(r.stats).toMatchObject({ sent: 1, failed: 0, queued: 0, skipped: { unverified: 1, not_local: 1, external: 2, prefix: 1, excluded: 1, no_category: 1, recent: 0 } });
    r.stop();
  });

  test("the rate limit holds reports back; the same address is not reported again within the interval", async () => {
    received.length = 0;
    serverNow = T0;
    const r = reporter({ ratePerMin: 60 });
    for (const a of ["203.0.113.30", "203.0.113.31", "203.0.113.32"]) r.accept(ban(a), T0);
    await r.pump(T0);
    expect(received.map((x) => x.ip)).toEqual(["203.0.113.30"]);
    expect(r.stats.queued).toBe(2);
    await r.pump(T0 + 500);
    expect(received.length).toBe(1);
    await r.pump(T0 + 1000);
    await r.pump(T0 + 2000);
    expect(received.map((x) => x.ip)).toEqual(["203.0.113.30", "203.0.113.31", "203.0.113.32"]);
    // 5 minutes later the address is banned again: not reported (the server would refuse it too)
    expect(r.accept(ban("203.0.113.30"), T0 + 5 * 60_000)).toBe("recent");
    serverNow = T0 + 16 * 60_000;
    expect(r.accept(ban("203.0.113.30"), T0 + 16 * 60_000)).toBeUndefined();
    await r.pump(T0 + 16 * 60_000);
    expect(received.map((x) => x.ip)).toEqual(["203.0.113.30", "203.0.113.31", "203.0.113.32", "203.0.113.30"]);
    expect(r.stats).toMatchObject({ sent: 4, failed: 0, skipped: { recent: 1 } });
    r.stop();
  });

  test("429 and 5xx are retried; a wrong key fails without retry and never shows the key", async () => {
    received.length = 0;
    serverNow = T0 + 100 * 60_000;
    const r = reporter();
    failNext = [503, 429];
    r.accept(ban("203.0.113.40"), T0);
    await r.pump(T0);
    expect(received.map((x) => x.ip)).toEqual(["203.0.113.40"]);
    expect(r.stats).toMatchObject({ sent: 1, retried: 2, failed: 0 });
    const wrong = reporter({}, "wrong-key-secret");
    wrong.accept(ban("203.0.113.41"), T0);
    await wrong.pump(T0);
    expect(wrong.stats).toMatchObject({ sent: 0, retried: 0, failed: 1 });
    expect(wrong.stats.last_error).toContain("HTTP 401");
    expect(wrong.stats.last_error).not.toContain("wrong-key-secret");
    r.stop();
    wrong.stop();
  });
});
