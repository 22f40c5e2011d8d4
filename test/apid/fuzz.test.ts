import { afterAll, beforeAll, expect, test } from "bun:test";
import { ApiNode } from "./harness.ts";

let n: ApiNode;
beforeAll(async () => {
  n = await new ApiNode().start({ HONEYMESH_API_DECISION_TIMEOUT_MS: "300" });
});
afterAll(() => n?.stop());

/** mulberry32: a seeded PRNG so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.HM_FUZZ_SEED ?? 7);
const r = rng(SEED);
const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const PATHS = ["/v1/health", "/v1/status", "/v1/bans", "/v1/bans/198.51.100.3", "/v1/bans/2001:db8::/64", "/v1/bans/%2F%2F", "/v1/bans/x/permanent", "/v1/allowlist", "/v1/allowlist/10.9.0.0%2F16", "/v1/events", "/v1/export", "/v1/peers", "/v1/stats", "/metrics", "/v1/tokens", "/v1/tokens/abc", "/v1/mode", "/v1/decisions/stream", "/docs/json", "/v1/%00", "/v1/bans/%E0%A4%A", "/../../etc/passwd", "/v1/bans/" + "9".repeat(300)];
const STRINGS = ["", "0", "-1", "1e309", "NaN", "null", "true", "[]", "{}", "198.51.100.4", "10.0.0.0/8", "::", "0.0.0.0/0", "🦀", "%", "a".repeat(5000), "' OR 1=1 --", "\u0000", "SCAN,TRAP", "EXTERNAL", "csv", "bans"];
const KEYS = ["value", "ttl_s", "reason", "evidence", "cidr", "note", "mode", "name", "scope", "kind", "limit", "cursor", "format", "state", "prefix", "startup", "__proto__", "constructor"];

function randomJson(depth = 0): unknown {
  const k = r();
  if (depth > 3 || k < 0.3) return pick([pick(STRINGS), Math.floor(r() * 2 ** 40) - 2 ** 39, r() * 1e6, true, false, null, 2 ** 64, -0]);
  if (k < 0.5) return Array.from({ length: Math.floor(r() * 5) }, () => randomJson(depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(r() * 5) }, () => [pick(KEYS), randomJson(depth + 1)]));
}

function randomBody(): { body?: string | Uint8Array; type?: string } {
  const k = r();
  if (k < 0.15) return {};
  if (k < 0.55) return { body: JSON.stringify(randomJson()), type: "application/json" };
  if (k < 0.65) return { body: "{not json", type: "application/json" };
  if (k < 0.72) return { body: "value=1.2.3.4&ttl_s=5", type: "application/x-www-form-urlencoded" };
  if (k < 0.78) return { body: new Uint8Array(Array.from({ length: 200 }, () => Math.floor(r() * 256))), type: pick(["application/octet-stream", "application/json", "text/plain"]) };
  if (k < 0.84) return { body: "--x\r\nContent-Disposition: form-data; name=\"value\"\r\n\r\n1.2.3.4\r\n--x--\r\n", type: "multipart/form-data; boundary=x" };
  if (k < 0.9) return { body: JSON.stringify({ value: "198.51.100." + Math.floor(r() * 255), ttl_s: Math.floor(r() * 1000), reason: pick(["MANUAL", "EXTERNAL", ["SCAN", "TRAP"]]) }), type: "application/json" };
  return { body: "x".repeat(70_000), type: "application/json" };
}

function randomQuery(): string {
  if (r() < 0.4) return "";
  return "?" + Array.from({ length: 1 + Math.floor(r() * 4) }, () => `${encodeURIComponent(pick(KEYS))}=${r() < 0.8 ? encodeURIComponent(pick(STRINGS)) : "%zz"}`).join("&");
}

test(`1000 random and malformed requests never get a 500 nor kill apid (seed ${SEED})`, async () => {
  const bad: string[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < 1000; i++) {
    const method = pick(METHODS);
    const path = pick(PATHS) + randomQuery();
    const { body, type } = method === "GET" || method === "HEAD" ? {} : randomBody();
    const headers: Record<string, string> = {};
    if (type) headers["content-type"] = type;
    const tk = r();
    if (tk < 0.75) headers.authorization = `Bearer ${n.admin}`;
    else if (tk < 0.85) headers.authorization = pick(["Bearer ", "Basic abc", `Bearer ${n.admin}x`, "Bearer a.b.c", "bearer\t" + "x".repeat(3000)]);
    if (r() < 0.1) headers["x-api-key"] = pick(["", "hmb_x", "x".repeat(300)]);
    try {
      const res = await fetch(`${n.base}${path}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500 && res.status !== 503) bad.push(`${method} ${path.slice(0, 80)} → ${res.status} ${text.slice(0, 200)}`);
      if (res.status >= 400 && method !== "HEAD" && !res.headers.get("content-type")?.includes("problem+json") && res.status !== 413) bad.push(`${method} ${path.slice(0, 80)} → ${res.status} not a problem: ${text.slice(0, 120)}`);
    } catch (e) {
      bad.push(`${method} ${path.slice(0, 80)} → ${(e as Error).message}`);
    }
  }
  // Garbage that is not HTTP at all, straight on the socket.
  for (const junk of ["GET / HTTP/9.9\r\n\r\n", "\x16\x03\x01\x02\x00", "POST /v1/bans HTTP/1.1\r\nContent-Length: -5\r\n\r\n", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n\r\n", "GET /v1/bans HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]) {
    const s = await Bun.connect({ hostname: "127.0.0.1", port: n.port, socket: { data() {}, error() {} } });
    s.write(junk);
    await Bun.sleep(20);
    s.end();
  }
  expect(bad).toEqual([]);
  expect(n.apid.exitCode).toBeNull();
  expect((await fetch(`${n.base}/v1/health`)).status).toBe(200);
  expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
});
