import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, TestNode, freePort, waitForPort } from "../support/bus-node.ts";
import { ApiNode, curl, type CurlResult } from "./harness.ts";

// Issue 13, the API's hardened surfaces, against a real apid (busd + enforcerd + apid processes).
// The failure budget is small here (5 per minute, 20 on loopback) so the limiter is really in play.
let n: ApiNode;
let tok: Record<"read" | "write" | "admin", string>;
let bouncer = "";

beforeAll(async () => {
  n = await new ApiNode().start({ HONEYMESH_API_AUTH_FAILURES_PER_MIN: "5", HONEYMESH_API_AUTH_FAILURES_PER_MIN_LOOPBACK: "20" });
  tok = { read: await n.token("read"), write: await n.token("write"), admin: n.admin };
  const b = await n.req("POST", "/v1/tokens", { body: { name: "bouncer-1", kind: "bouncer" } });
  bouncer = b.json.token;
});
afterAll(() => n?.stop());

type Scope = "none" | "read" | "write" | "admin" | "bouncer";
/** What each route must need, written down here independently of apid's own declarations. */
const EXPECTED: Record<string, Scope> = {
  "GET /v1/health": "none",
  "GET /v1/status": "read",
  "GET /v1/whoami": "read",
  "GET /v1/bans": "read",
  "GET /v1/bans/{address}": "read",
  "POST /v1/bans": "write",
  "DELETE /v1/bans/{address}": "write",
  "PATCH /v1/bans/{address}": "write",
  "POST /v1/bans/{address}/permanent": "write",
  "GET /v1/allowlist": "read",
  "POST /v1/allowlist": "admin",
  "DELETE /v1/allowlist/{address}": "admin",
  "GET /v1/mode": "read",
  "PUT /v1/mode": "admin",
  "GET /v1/explain/{ip}": "read",
  "GET /v1/events": "read",
  "GET /v1/events/{id}": "read",
  "GET /v1/indicators": "read",
  "GET /v1/peers": "read",
  "GET /v1/export": "read",
  "GET /v1/stats": "read",
  "GET /v1/stream": "read",
  "GET /metrics": "read",
  "GET /v1/tokens": "admin",
  "POST /v1/tokens": "admin",
  "DELETE /v1/tokens/{id}": "admin",
  "GET /v1/decisions/stream": "bouncer",
  "GET /v1/decisions": "bouncer",
  "POST /v1/usage-metrics": "bouncer",
  "GET /v1/feeds": "read",
  "GET /v1/feeds/{format}": "read",
  "GET /v1/stats/history": "read",
  "GET /v1/notify": "read",
  "POST /v1/notify/{name}/test": "write",
  "GET /taxii2/": "read",
  "GET /taxii2/honeymesh/": "read",
  "GET /taxii2/honeymesh/collections/": "read",
  "GET /taxii2/honeymesh/collections/{id}/": "read",
  "GET /taxii2/honeymesh/collections/{id}/objects/": "read",
  "GET /taxii2/honeymesh/collections/{id}/objects/{object_id}/": "read",
  "GET /taxii2/honeymesh/collections/{id}/manifest/": "read",
};
const CREDS = ["none", "read", "write", "admin", "bouncer"] as const;
type Cred = (typeof CREDS)[number];
const RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };

function headers(cred: Cred): string[] {
  if (cred === "none") return [];
  if (cred === "bouncer") return ["-H", `X-Api-Key: ${bouncer}`];
  return ["-H", `Authorization: Bearer ${tok[cred]}`];
}

/** Raw request target, sent as is (`--path-as-is`: curl must not clean the path for us). */
function send(method: string, target: string, cred: Cred): Promise<CurlResult> {
  const body = method === "GET" || method === "DELETE" ? [] : ["-H", "content-type: application/json", "--data-binary", "{}"];
  // The live stream never ends by itself: a short max-time still yields its status line.
  const limit = target.startsWith("/v1/stream") ? ["--max-time", "1"] : [];
  return curl(["--path-as-is", "-X", method, ...limit, ...headers(cred), ...body, `${n.base}${target}`]);
}

function concrete(path: string): string {
  return path.replace("{address}", path.startsWith("/v1/allowlist") ? "192.0.2.250" : "198.51.100.250").replace("{ip}", "198.51.100.250").replace("{id}", crypto.randomUUID()).replace("{format}", "plain").replace("{name}", "no-such-target").replace("{object_id}", "indicator--00000000-0000-4000-8000-000000000000");
}

/** The answer a credential must get on a route's exact form. */
function expected(scope: Scope, cred: Cred): "pass" | 401 | 403 {
  if (scope === "none") return "pass";
  if (scope === "bouncer") return cred === "bouncer" ? "pass" : 403; // LAPI answers 403 to a missing key
  if (cred === "none" || cred === "bouncer") return 401;
  return RANK[cred]! >= RANK[scope]! ? "pass" : 403;
}

async function inBatches<T>(items: T[], size: number, f: (x: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(f));
}

describe("scopes come from the matched route", () => {
  test("every documented route × every credential × path variants gets the right answer", async () => {
    const docs = await n.req("GET", "/docs/json", { token: tok.read });
    expect(docs.status).toBe(200);
    const routes: { key: string; method: string; path: string; declared: unknown }[] = [];
    for (const [path, ops] of Object.entries(docs.json.paths as Record<string, Record<string, { "x-honeymesh-scope"?: string }>>))
      for (const [m, op] of Object.entries(ops)) routes.push({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, declared: op["x-honeymesh-scope"] });
    // A new route must be added to EXPECTED (and so be thought about); none may be missing.
    expect(routes.map((r) => r.key).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const r of routes) expect(r.declared, r.key).toBe(EXPECTED[r.key]);

    const cases: { r: (typeof routes)[number]; cred: Cred; variant: string; target: string }[] = [];
    for (const r of routes) {
      const p = concrete(r.path);
      const variants: Record<string, string> = {
        exact: p,
        "trailing /": `${p}/`,
        "/.": `${p}/.`,
        "//": `/${p}`,
        "inner //": p.replace("/v1/", "/v1//").replace("/metrics", "//metrics").replace("/taxii2/", "/taxii2//"),
        "%2F": p.startsWith("/v1/") ? p.replace("/v1/", "/v1%2F") : p.startsWith("/taxii2/") ? p.replace("/taxii2/", "/taxii2%2F") : p.replace("/metrics", "/%2Fmetrics"),
        "upper case": p.toUpperCase(),
      };
      for (const cred of CREDS) for (const [variant, target] of Object.entries(variants)) cases.push({ r, cred, variant, target });
    }
    const wrong: string[] = [];
    await inBatches(cases, 8, async ({ r, cred, variant, target }) => {
      const res = await send(r.method, target, cred);
      const what = `${r.method} ${target} as ${cred} (${variant}): ${res.status} ${res.body.slice(0, 120)}`;
      // TAXII routes answer TAXII error messages: the detail is their `description`.
      const detail = res.json?.detail ?? res.json?.description;
      const noRoute = res.status === 404 && typeof detail === "string" && detail.startsWith("no route");
      if (variant === "exact") {
        const want = expected(EXPECTED[r.key]!, cred);
        if (want === "pass" ? [401, 403, 429].includes(res.status) || noRoute || res.status === 0 : res.status !== want) wrong.push(what);
        return;
      }
      // Non-canonical forms never reach a handler: 400 (malformed), or 401 then 404 (no such route).
      if (![400, 401, 403, 404].includes(res.status) || (res.status === 404 && !noRoute)) wrong.push(what);
      if (cred === "admin" && !(res.status === 400 || noRoute)) wrong.push(`${what} (admin must get 400 or "no route")`);
    });
    console.log(`route matrix: ${cases.length} requests, ${wrong.length} wrong`);
    expect(wrong).toEqual([]);
  }, 120_000);

  test("the issue's cases: PUT /v1/mode/ and /v1/mode/. with a write token, /v1/decisions/stream/ with a read token", async () => {
    for (const target of ["/v1/mode/", "/v1/mode/.", "/v1//mode", "/v1/mode%2F"]) {
      const r = await curl(["--path-as-is", "-X", "PUT", "-H", `Authorization: Bearer ${tok.write}`, "-H", "content-type: application/json", "--data-binary", '{"mode":"lockdown"}', `${n.base}${target}`]);
      expect([400, 404], target).toContain(r.status);
    }
    expect((await n.req("PUT", "/v1/mode", { token: tok.write, body: { mode: "lockdown" } })).status).toBe(403);
    expect((await n.req("GET", "/v1/mode")).json.mode).toBe("test");
    const s = await curl(["--path-as-is", "-H", `Authorization: Bearer ${tok.read}`, `${n.base}/v1/decisions/stream/`]);
    expect(s.status).toBe(400);
    // HEAD is answered by the GET route, with the GET route's scope.
    expect((await curl(["-I", "-H", `Authorization: Bearer ${tok.read}`, `${n.base}/v1/bans`])).status).toBe(200);
    expect((await curl(["-I", `${n.base}/v1/bans`])).status).toBe(401);
    expect((await curl(["-I", "-H", `Authorization: Bearer ${tok.read}`, `${n.base}/v1/tokens`])).status).toBe(403);
  });
});

describe("allowlist breadth", () => {
  test("a write token cannot add an allowlist entry; an admin needs force beyond the configured prefix", async () => {
    expect((await n.req("POST", "/v1/allowlist", { token: tok.write, body: { address: "10.0.0.0/4" } })).status).toBe(403);
    const broad = await n.req("POST", "/v1/allowlist", { body: { address: "10.0.0.0/7" } });
    expect(broad.status).toBe(400);
    expect(broad.json.detail).toContain("allow_min_prefix_v4");
    expect((await n.req("POST", "/v1/allowlist", { body: { address: "2000::/15" } })).json.detail).toContain("allow_min_prefix_v6");
    expect((await n.req("POST", "/v1/allowlist", { body: { address: "10.0.0.0/8", note: "at the limit" } })).status).toBe(201);
    expect((await n.req("DELETE", `/v1/allowlist/${encodeURIComponent("10.0.0.0/8")}`)).status).toBe(200);
    const cli = await n.cli(["allow", "add", "10.0.0.0/7"]);
    expect(cli.code).toBe(2);
    expect(cli.err).toContain("--force");
    expect((await n.cli(["allow", "add", "10.0.0.0/7", "--force"])).code).toBe(0);
    expect((await n.cli(["allow", "ls"])).out).toContain("10.0.0.0/7");
    expect((await n.cli(["allow", "rm", "10.0.0.0/7"])).code).toBe(0);
  });
});

interface Reader {
  read(): Promise<{ done: boolean }>;
  cancel(): Promise<void>;
}

describe("tokens", () => {
  async function openStream(token: string): Promise<Reader> {
    const res = await fetch(`${n.base}/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const reader: Reader = res.body!.getReader();
    await reader.read(); // the "connected" comment: the stream is registered
    return reader;
  }
  async function ended(reader: Reader): Promise<boolean> {
    for (;;) {
      const r = await Promise.race([reader.read(), Bun.sleep(10_000).then(() => "timeout" as const)]);
      if (r === "timeout") return false;
      if (r.done) return true;
    }
  }

  test("revoking a token ends its open /v1/stream", async () => {
    const made = await n.req("POST", "/v1/tokens", { body: { name: "to-revoke", scope: "read" } });
    const other = await openStream(tok.read);
    const reader = await openStream(made.json.token);
    const t0 = performance.now();
    expect((await n.req("DELETE", `/v1/tokens/${made.json.id}`)).status).toBe(200);
    expect(await ended(reader)).toBe(true);
    console.log(`revoked token's stream ended ${(performance.now() - t0).toFixed(0)} ms after the revoke`);
    expect((await n.req("GET", "/v1/bans", { token: made.json.token })).status).toBe(401);
    // Another token's stream stays open.
    const next = await Promise.race([other.read().then(() => "data"), Bun.sleep(300).then(() => "open")]);
    expect(next).toBe("open");
    await other.cancel();
  });

  test("a token created with a ttl expires: refused afterwards, and its stream ends", async () => {
    const made = await n.req("POST", "/v1/tokens", { body: { name: "short", scope: "read", ttl_s: 2 } });
    expect(made.json.expires_at).toBeGreaterThan(Date.now());
    const reader = await openStream(made.json.token);
    expect(await ended(reader)).toBe(true);
    console.log(`expiring token's stream ended ${(Date.now() - made.json.expires_at).toFixed(0)} ms after expiry`);
    expect((await n.req("GET", "/v1/bans", { token: made.json.token })).status).toBe(401);
  });
});

describe("local socket", () => {
  test("the CLI works with no token through apid's socket (0660)", async () => {
    const sock = join(n.node.stateDir, "run", "api.sock");
    const st = statSync(sock);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o660);
    const tokenFile = join(n.node.stateDir, "apid", "admin.token");
    renameSync(tokenFile, `${tokenFile}.away`);
    try {
      const env = { HONEYMESH_API_TOKEN: "", HONEYMESH_API_LISTEN: "127.0.0.1:1" }; // TCP unreachable: only the socket can answer
      const ls = await n.cli(["token", "list", "--json"], env);
      expect(ls.code).toBe(0);
      expect(ls.out).toContain("bouncer-1");
      expect((await n.cli(["allow", "add", "192.0.2.80"], env)).code).toBe(0);
      expect((await n.cli(["allow", "rm", "192.0.2.80"], env)).code).toBe(0);
      // A given --token goes over TCP with that token (and fails here: TCP is unreachable).
      expect((await n.cli(["bans", "--token", tok.read], env)).err).toContain("cannot reach apid at http://127.0.0.1:1");
    } finally {
      renameSync(`${tokenFile}.away`, tokenFile);
    }
  });
});

// Last: it leaves loopback over its failure budget for a minute.
describe("authentication before rate limiting", () => {
  test("100 junk bearers from loopback do not stop the admin token, a read token or the CLI", async () => {
    const statuses: number[] = [];
    await inBatches([...Array(100).keys()], 10, async (i) => {
      statuses.push((await n.req("GET", "/v1/bans", { token: `junk.${i}.token` })).status);
    });
    const limited = statuses.filter((s) => s === 429).length;
    console.log(`junk bearers: ${statuses.length - limited} answered 401, ${limited} answered 429`);
    expect(limited).toBeGreaterThan(0); // the limiter is in play for failures…
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect((await n.req("GET", "/v1/bans")).status).toBe(200); // …and not for valid credentials
    expect((await n.req("GET", "/v1/bans", { token: tok.read })).status).toBe(200);
    expect((await n.req("POST", "/v1/bans", { token: tok.write, body: { address: "198.51.100.251", ttl_s: 60 } })).status).toBeLessThan(300);
    expect((await n.cli(["bans", "--json"], { HONEYMESH_API_TOKEN: tok.admin, HONEYMESH_API_SOCKET: "/nonexistent/api.sock" })).code).toBe(0);
    expect((await n.req("GET", "/v1/bans", { token: "junk.again" })).status).toBe(429);
  });
});

describe("startup", () => {
  async function apidOnce(node: TestNode, env: Record<string, string>) {
    const p = Bun.spawn([process.execPath, join(ROOT, "services/apid/src/main.ts")], { cwd: ROOT, env: node.env({ HONEYMESH_NODE_LOG_LEVEL: "info", ...env }), stdout: "pipe", stderr: "pipe" });
    return { p, out: Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]).then(([a, b]) => a + b) };
  }

  test("the admin token never appears in apid's log; a non-loopback listen without TLS refuses to start", async () => {
    const node = new TestNode();
    try {
      await node.init();
      await node.startBusd();
      const port = freePort();
      const first = await apidOnce(node, { HONEYMESH_API_LISTEN: `127.0.0.1:${port}` });
      await waitForPort(port, 20_000);
      const token = readFileSync(join(node.stateDir, "apid", "admin.token"), "utf8").trim();
      expect(statSync(join(node.stateDir, "apid", "admin.token")).mode & 0o777).toBe(0o600);
      first.p.kill("SIGTERM");
      await first.p.exited;
      const log = await first.out;
      expect(log).toContain("admin API token created");
      expect(log).toContain(join(node.stateDir, "apid", "admin.token"));
      expect(token.length).toBeGreaterThan(20);
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.split(".")[2]!); // not even its signature

      const open = await apidOnce(node, { HONEYMESH_API_LISTEN: `0.0.0.0:${freePort()}` });
      const code = await open.p.exited;
      const out = await open.out;
      expect(code).not.toBe(0);
      expect(out).toContain("[api] insecure = true");
      expect(out).toContain("not a loopback address");
    } finally {
      await node.stop();
    }
  }, 60_000);
});
