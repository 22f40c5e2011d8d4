// Every write gets enforcerd's typed answer (issue 11): real busd, enforcerd and apid, real SQLite.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { curl, ApiNode } from "./harness.ts";

let n: ApiNode;
beforeAll(async () => {
  // The default health interval: a mode answer must not wait for a health report.
  n = await new ApiNode().start({ HONEYMESH_NODE_HEALTH_INTERVAL_S: "5" });
}, 30_000);
afterAll(() => n?.stop());

const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label}: ${(performance.now() - t0).toFixed(1)} ms`);
  return out;
};

describe("writes answered by enforcerd's result, by id", () => {
  test("refusals name their reason: allowlisted 409, malformed 400", async () => {
    const allowed = await timed("refused (allowlisted) ban answered in", () => n.req("POST", "/v1/bans", { body: { address: "127.0.0.1" } }));
    expect(allowed.status).toBe(409);
    expect(allowed.json).toMatchObject({ status: 409, reason: "allowlisted" });
    expect(allowed.json.detail).toContain("127.0.0.0/8, system");
    const bad = await n.req("POST", "/v1/bans", { body: { address: "10.0.0.1/8" } });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toContain("host bits");
  });

  test("ban → added, again → unchanged, longer → extended; partial unban → kept with what remains", async () => {
    const a = await n.req("POST", "/v1/bans", { body: { address: "198.51.100.80", ttl_s: 600 } });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ outcome: "added", address: { kind: "ip", text: "198.51.100.80" }, ban: { reasons: ["MANUAL"] } });
    expect((await n.req("POST", "/v1/bans", { body: { address: "198.51.100.80", ttl_s: 60 } })).json.outcome).toBe("unchanged");
    const ext = await n.req("POST", "/v1/bans", { body: { address: "198.51.100.80", ttl_s: 900, reason: "EXTERNAL" } });
    expect(ext.json).toMatchObject({ outcome: "extended", ban: { reasons: ["MANUAL", "EXTERNAL"] } });
    const kept = await n.req("DELETE", "/v1/bans/198.51.100.80?reason=EXTERNAL");
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ outcome: "kept", ban: { reasons: ["MANUAL"] } });
    expect(kept.json.detail).toContain("still banned for MANUAL");
    expect((await n.req("GET", "/v1/bans/198.51.100.80")).json.reasons).toEqual(["MANUAL"]);
    const gone = await n.req("DELETE", "/v1/bans/198.51.100.80");
    expect(gone.json).toMatchObject({ outcome: "removed" });
    expect((await n.req("DELETE", "/v1/bans/198.51.100.80")).json).toMatchObject({ outcome: "unchanged" });
  });

  test("an address inside a banned prefix: unban says what still covers it; explain lists it", async () => {
    await n.req("POST", "/v1/bans", { body: { address: "192.0.2.0/24", ttl_s: 600 } });
    const un = await n.req("DELETE", "/v1/bans/192.0.2.5");
    expect(un.json).toMatchObject({ outcome: "unchanged", covered_by: [{ address: { kind: "cidr", text: "192.0.2.0/24" }, reasons: ["MANUAL"] }] });
    expect(un.json.detail).toContain("still covered by 192.0.2.0/24");
    const ex = await n.req("GET", "/v1/explain/192.0.2.5");
    expect(ex.status).toBe(200);
    expect(ex.json).toMatchObject({ blocked: true, bans: [{ address: { text: "192.0.2.0/24" } }], allowlisted_by: [] });
    expect(ex.json.tombstone).toMatchObject({ origin: expect.any(String) });
    expect((await n.req("GET", "/v1/bans?contains=192.0.2.5")).json.items.map((b: { address: { text: string } }) => b.address.text)).toEqual(["192.0.2.0/24"]);
    expect((await n.req("GET", "/v1/bans?contains=192.0.3.5")).json.items).toEqual([]);
    expect((await n.req("GET", "/v1/explain/192.0.3.5")).json).toMatchObject({ blocked: false, bans: [] });
    expect((await n.req("GET", "/v1/explain/nonsense")).status).toBe(400);
  });

  test("allowlisting an address ends its ban everywhere: bans, explain and the CrowdSec stream (startup and delta)", async () => {
    const key = (await n.req("POST", "/v1/tokens", { body: { name: "bouncer-allow", kind: "bouncer" } })).json.token as string;
    const stream = (q: string) => curl(["-H", `X-Api-Key: ${key}`, `${n.base}/v1/decisions/stream${q}`]);
    await n.req("POST", "/v1/bans", { body: { address: "203.0.113.8", ttl_s: 3600 } });
    const before = await stream("?startup=true");
    expect(before.json.new.map((d: { value: string }) => d.value)).toContain("203.0.113.8");
    const add = await n.req("POST", "/v1/allowlist", { body: { address: "203.0.113.8", note: "the operator" } });
    expect(add.status).toBe(201);
    expect(add.json).toMatchObject({ outcome: "added", ended: [{ kind: "ip", text: "203.0.113.8" }], ended_total: 1 });
    expect((await n.req("GET", "/v1/bans/203.0.113.8")).status).toBe(404);
    expect((await n.req("GET", "/v1/explain/203.0.113.8")).json).toMatchObject({ blocked: false, allowlisted_by: [{ address: "203.0.113.8", source: "operator" }] });
    const delta = await stream("");
    expect(delta.json.deleted.map((d: { value: string }) => d.value)).toContain("203.0.113.8");
    const startup = await stream("?startup=true");
    expect(startup.json.new.map((d: { value: string }) => d.value)).not.toContain("203.0.113.8");
    // And a new ban on it is refused, naming the entry.
    const again = await n.req("POST", "/v1/bans", { body: { address: "203.0.113.8" } });
    expect(again.json).toMatchObject({ status: 409, reason: "allowlisted" });
    expect(again.json.detail).toContain("203.0.113.8, operator");
    // System entries cannot be removed at run time; unknown ones are 404.
    expect((await n.req("DELETE", `/v1/allowlist/${encodeURIComponent("127.0.0.0/8")}`)).json).toMatchObject({ status: 409, reason: "allow_protected" });
    expect((await n.req("DELETE", "/v1/allowlist/203.0.113.9")).status).toBe(404);
    expect((await n.req("DELETE", "/v1/allowlist/203.0.113.8")).json).toMatchObject({ outcome: "removed" });
  });

  test("a mode switch answers 200 with the applied mode at the default health interval", async () => {
    const r = await timed("mode switch answered in", () => n.req("PUT", "/v1/mode", { body: { mode: "enforce" } }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ outcome: "applied", mode: "enforce" });
    expect((await n.req("GET", "/v1/mode")).json).toMatchObject({ mode: "enforce", source: "operator" });
    expect((await n.req("PUT", "/v1/mode", { body: { mode: "test" } })).json.mode).toBe("test");
  });
});
