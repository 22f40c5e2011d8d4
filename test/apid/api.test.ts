import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ApiNode, curl } from "./harness.ts";

let n: ApiNode;
let read = "";
let write = "";

beforeAll(async () => {
  n = await new ApiNode().start();
  read = await n.token("read");
  write = await n.token("write");
});
afterAll(() => n?.stop());

const isProblem = (r: { type: string; json: any }, status: number) => {
  expect(r.type).toContain("application/problem+json");
  expect(r.json.status).toBe(status);
  expect(typeof r.json.detail).toBe("string");
};

describe("apid over curl: auth", () => {
  test("/v1/health needs no token; every other route answers 401 without one", async () => {
    expect((await n.req("GET", "/v1/health", { token: null })).status).toBe(200);
    for (const [m, p] of [["GET", "/v1/status"], ["GET", "/v1/bans"], ["POST", "/v1/bans"], ["DELETE", "/v1/bans/198.51.100.1"], ["PATCH", "/v1/bans/198.51.100.1"], ["GET", "/v1/allowlist"], ["POST", "/v1/allowlist"], ["GET", "/v1/events"], ["GET", "/v1/export"], ["GET", "/v1/peers"], ["GET", "/v1/stats"], ["GET", "/v1/stream"], ["GET", "/metrics"], ["GET", "/v1/tokens"], ["PUT", "/v1/mode"], ["GET", "/docs/json"], ["GET", "/v1/no-such-route"]] as const) {
      const r = await n.req(m, p, { token: null });
      expect(r.status, `${m} ${p}`).toBe(401);
      isProblem(r, 401);
    }
    const forged = await n.req("GET", "/v1/bans", { token: `${n.admin.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
  });

  test("a token with too small a scope gets 403", async () => {
    for (const [m, p, tok] of [["POST", "/v1/bans", read], ["DELETE", "/v1/bans/198.51.100.1", read], ["POST", "/v1/allowlist", read], ["POST", "/v1/allowlist", write], ["DELETE", "/v1/allowlist/192.0.2.1", write], ["GET", "/v1/tokens", write], ["POST", "/v1/tokens", write], ["PUT", "/v1/mode", write]] as const) {
      const r = await n.req(m, p, { token: tok, body: {} });
      expect(r.status, `${m} ${p}`).toBe(403);
      isProblem(r, 403);
    }
    expect((await n.req("GET", "/v1/bans", { token: read })).status).toBe(200);
  });

  test("a revoked token stops working at once", async () => {
    const made = await n.req("POST", "/v1/tokens", { body: { name: "short-lived", scope: "read" } });
    expect((await n.req("GET", "/v1/bans", { token: made.json.token })).status).toBe(200);
    expect((await n.req("DELETE", `/v1/tokens/${made.json.id}`)).status).toBe(200);
    expect((await n.req("GET", "/v1/bans", { token: made.json.token })).status).toBe(401);
    const list = await n.req("GET", "/v1/tokens");
    expect(list.json.items.find((t: { id: string }) => t.id === made.json.id).revoked_at).toBeGreaterThan(0);
    expect(JSON.stringify(list.json)).not.toContain(made.json.token);
  });
});

describe("apid over curl: bans", () => {
  test("bad bodies are 400 problems naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ address: "198.51.100.9", ttl_s: -5 }, "ttl_s"],
      [{ address: "198.51.100.9", ttl_s: "soon" }, "ttl_s"],
      [{ address: "300.1.2.3" }, "address"],
      [{ address: "10.0.0.1/8" }, "address"],
      [{ address: "0.0.0.0/0" }, "address"],
      [{ address: "198.51.100.9", reason: "LASERS" }, "reason"],
      [{ address: "198.51.100.9", bogus: 1 }, "bogus"],
      [{ ttl_s: 60 }, "address"],
    ];
    for (const [body, field] of cases) {
      const r = await n.req("POST", "/v1/bans", { token: write, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      isProblem(r, 400);
      expect(r.json.detail, JSON.stringify(body)).toContain(field);
    }
    const junk = await n.req("POST", "/v1/bans", { token: write, raw: "{not json" });
    expect(junk.status).toBe(400);
    isProblem(junk, 400);
    const q = await n.req("GET", "/v1/bans?limit=0");
    expect(q.status).toBe(400);
    expect(q.json.detail).toContain("limit");
    const cur = await n.req("GET", "/v1/bans?cursor=zzz");
    expect(cur.status).toBe(400);
    expect(cur.json.field).toBe("cursor");
  });

  test("ban → 201 with enforcerd's row; list, filters, get; extend; permanent; unban", async () => {
    const made = await n.req("POST", "/v1/bans", { token: write, body: { address: "198.51.100.20", ttl_s: 600 } });
    expect(made.status).toBe(201);
    expect(made.json.outcome).toBe("added");
    expect(made.json.ban.reasons).toEqual(["MANUAL"]);
    expect(made.json.ban.source).toBe("apid");
    const again = await n.req("POST", "/v1/bans", { token: write, body: { address: "198.51.100.20", ttl_s: 60 } });
    expect(again.status).toBe(200);
    expect(again.json.outcome).toBe("unchanged");
    const ext = await n.req("POST", "/v1/bans", { token: write, body: { address: "198.51.100.21", ttl_s: 600, reason: "EXTERNAL" } });
    expect(ext.json.ban.reasons).toEqual(["EXTERNAL"]);
    const net = await n.req("POST", "/v1/bans", { token: write, body: { address: "2001:db8:7::/48", ttl_s: 600 } });
    expect(net.status).toBe(201);
    expect(net.json.ban.address.kind).toBe("cidr");

    const all = await n.req("GET", "/v1/bans", { token: read });
    expect(all.json.items.map((b: { address: { text: string } }) => b.address.text)).toEqual(expect.arrayContaining(["198.51.100.20", "198.51.100.21", "2001:db8:7::/48"]));
    const external = await n.req("GET", "/v1/bans?reason=EXTERNAL");
    expect(external.json.items.map((b: { address: { text: string } }) => b.address.text)).toEqual(["198.51.100.21"]);
    const pref = await n.req("GET", "/v1/bans?contains=2001:db8:7::1");
    expect(pref.json.items.map((b: { address: { text: string } }) => b.address.text)).toEqual(["2001:db8:7::/48"]);
    const page1 = await n.req("GET", "/v1/bans?limit=1");
    expect(page1.json.items.length).toBe(1);
    const page2 = await n.req("GET", `/v1/bans?limit=1&cursor=${page1.json.next_cursor}`);
    expect(page2.json.items[0].address.text > page1.json.items[0].address.text).toBe(true);
    expect((await n.req("GET", `/v1/bans/${encodeURIComponent("2001:db8:7::/48")}`)).json.address.kind).toBe("cidr");
    expect((await n.req("GET", "/v1/bans/198.51.100.99")).status).toBe(404);

    const longer = await n.req("PATCH", "/v1/bans/198.51.100.20", { token: write, body: { ttl_s: 7200 } });
    expect(longer.status).toBe(200);
    expect(longer.json.outcome).toBe("extended");
    expect(longer.json.ban.expires_at).toBeGreaterThan(made.json.ban.expires_at);
    const shorter = await n.req("PATCH", "/v1/bans/198.51.100.20", { token: write, body: { ttl_s: 10 } });
    expect(shorter.status).toBe(409);
    const perm = await n.req("POST", "/v1/bans/198.51.100.20/permanent", { token: write });
    expect(perm.status).toBe(200);
    expect(perm.json.ban.expires_at).toBe(0);
    expect((await n.req("PATCH", "/v1/bans/198.51.100.77", { token: write, body: { ttl_s: 60 } })).status).toBe(404);

    const un = await n.req("DELETE", "/v1/bans/198.51.100.20", { token: write });
    expect(un.status).toBe(200);
    expect(un.json).toMatchObject({ outcome: "removed", address: { kind: "ip", text: "198.51.100.20" } });
    const local = await n.req("DELETE", `/v1/bans/${encodeURIComponent("2001:db8:7::/48")}?scope=local`, { token: write });
    expect(local.json.outcome).toBe("removed");
    expect((await n.req("GET", "/v1/bans/198.51.100.20")).status).toBe(404);
  });

  test("allowlisted targets are refused with 409 naming the reason", async () => {
    const r = await n.req("POST", "/v1/bans", { token: write, body: { address: "127.0.0.1" } });
    expect(r.status).toBe(409);
    isProblem(r, 409);
    expect(r.json.reason).toBe("allowlisted");
  });

  test("an EXTERNAL unban keeps a ban HoneyMesh holds for its own reasons", async () => {
    await n.req("POST", "/v1/bans", { token: write, body: { address: "198.51.100.30", ttl_s: 600, reason: ["EXTERNAL", "MANUAL"] } });
    const kept = await n.req("DELETE", "/v1/bans/198.51.100.30?reason=EXTERNAL", { token: write });
    expect(kept.json.outcome).toBe("kept");
    expect((await n.req("GET", "/v1/bans/198.51.100.30")).status).toBe(200);
  });
});

describe("apid over curl: allowlist, mode, events, peers, stats, docs", () => {
  test("allowlist add, list, remove (admin); protected entries stay", async () => {
    const bad = await n.req("POST", "/v1/allowlist", { body: { address: "nope" } });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe("address");
    const add = await n.req("POST", "/v1/allowlist", { body: { address: "192.0.2.0/24", note: "office" } });
    expect(add.status).toBe(201);
    const ls = await n.req("GET", "/v1/allowlist", { token: read });
    expect(ls.json.items).toEqual(expect.arrayContaining([expect.objectContaining({ address: "192.0.2.0/24", source: "operator", note: "office" }), expect.objectContaining({ address: "127.0.0.0/8", source: "system" })]));
    const refused = await n.req("POST", "/v1/bans", { token: write, body: { address: "192.0.2.5" } });
    expect(refused.status).toBe(409);
    expect((await n.req("DELETE", `/v1/allowlist/${encodeURIComponent("127.0.0.0/8")}`)).status).toBe(409);
    expect((await n.req("DELETE", `/v1/allowlist/${encodeURIComponent("192.0.2.0/24")}`)).status).toBe(200);
    expect((await n.req("GET", "/v1/allowlist")).json.items.filter((e: { source: string }) => e.source === "operator")).toEqual([]);
    expect((await n.req("DELETE", `/v1/allowlist/${encodeURIComponent("192.0.2.0/24")}`)).status).toBe(404);
  });

  test("mode: read, then switch (admin)", async () => {
    expect((await n.req("GET", "/v1/mode", { token: read })).json.mode).toBe("test");
    const bad = await n.req("PUT", "/v1/mode", { body: { mode: "off" } });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toContain("mode");
    const r = await n.req("PUT", "/v1/mode", { body: { mode: "enforce" } });
    expect([200, 202]).toContain(r.status);
    const deadline = Date.now() + 5000;
    while ((await n.req("GET", "/v1/mode")).json.mode !== "enforce" && Date.now() < deadline) await Bun.sleep(100);
    expect((await n.req("GET", "/v1/mode")).json).toEqual({ mode: "enforce", source: "operator" });
    await n.req("PUT", "/v1/mode", { body: { mode: "test" } });
  });

  test("status, stats, events, peers, docs answer with their shapes", async () => {
    const s = await n.req("GET", "/v1/status", { token: read });
    expect(s.status).toBe(200);
    expect(s.json.services.find((x: { name: string }) => x.name === "enforcerd").up).toBe(true);
    expect(s.json.enforcement.state).toContain("unavailable");
    const st = await n.req("GET", "/v1/stats", { token: read });
    expect(st.json.bans.by_reason.EXTERNAL).toBeGreaterThanOrEqual(1);
    const ev = await n.req("GET", "/v1/events?service=ssh&limit=5", { token: read });
    expect(ev.status).toBe(200);
    expect(Array.isArray(ev.json.items)).toBe(true);
    expect((await n.req("GET", "/v1/events?service=gopher")).status).toBe(400);
    const peers = await n.req("GET", "/v1/peers", { token: read });
    expect(Array.isArray(peers.json.items)).toBe(true);
    const docs = await n.req("GET", "/docs/json", { token: read });
    expect(Object.keys(docs.json.paths)).toEqual(expect.arrayContaining(["/v1/bans", "/v1/bans/{address}", "/v1/allowlist", "/v1/export", "/v1/decisions/stream"]));
    expect((await n.req("GET", "/docs", { token: read })).type).toContain("text/html");
  });
});

describe("apid over curl: stream, metrics, crowdsec", () => {
  test("/v1/stream delivers the decision and the ban change of a new ban", async () => {
    const p = Bun.spawn(["curl", "-s", "-N", "--max-time", "6", "-H", `Authorization: Bearer ${read}`, `${n.base}/v1/stream?kinds=decision,ban`], { stdout: "pipe" });
    await Bun.sleep(400);
    await n.req("POST", "/v1/bans", { token: write, body: { address: "203.0.113.40", ttl_s: 60 } });
    const reader = p.stdout.getReader();
    let text = "";
    const deadline = Date.now() + 6000;
    while (!(text.includes("event: ban") && text.includes("event: decision")) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    p.kill();
    const events = text.split("\n\n").filter((b) => b.includes("data: ")).map((b) => ({ event: /event: (\w+)/.exec(b)?.[1], data: JSON.parse(b.slice(b.indexOf("data: ") + 6)) }));
    expect(events.find((e) => e.event === "decision")?.data).toMatchObject({ action: "ban", address: { kind: "ip", text: "203.0.113.40" }, source: "apid" });
    expect(events.find((e) => e.event === "ban")?.data).toMatchObject({ change: "added", address: { kind: "ip", text: "203.0.113.40" } });
    expect((await n.req("GET", "/v1/stream?kinds=gossip", { token: read })).status).toBe(400);
  });

  test("/metrics parses with prometheus_client and shows active bans and service health", async () => {
    const r = await n.req("GET", "/metrics", { token: read });
    expect(r.type).toContain("text/plain");
    const py = Bun.spawn(["/usr/bin/python3", "-c", "import sys,json\nfrom prometheus_client.parser import text_string_to_metric_families as f\nout={}\nfor fam in f(sys.stdin.read()):\n  for s in fam.samples: out.setdefault(s.name,[]).append([s.labels,s.value])\nprint(json.dumps(out))"], { stdin: new Blob([r.body]), stdout: "pipe", stderr: "pipe" });
    const parsed = JSON.parse(await new Response(py.stdout).text()) as Record<string, [Record<string, string>, number][]>;
    expect(await py.exited).toBe(0);
    expect(parsed.hm_active_bans?.[0]?.[1]).toBeGreaterThanOrEqual(1);
    expect(parsed.hm_service_up?.find(([l]) => l.service === "enforcerd")?.[1]).toBe(1);
    expect(parsed.hm_bus_rejected_total?.length).toBeGreaterThan(0);
    expect(parsed.hm_api_requests_total?.length).toBeGreaterThan(0);
  });

  test("CrowdSec bouncer stream: X-Api-Key, startup list, then adds and deletes", async () => {
    const key = await n.req("POST", "/v1/tokens", { body: { name: "bouncer", kind: "bouncer" } });
    expect(key.status).toBe(201);
    const k = key.json.token as string;
    const stream = (q: string, apiKey = k) => curl(["-H", `X-Api-Key: ${apiKey}`, `${n.base}/v1/decisions/stream${q}`]);
    expect((await stream("?startup=true", "wrong")).status).toBe(403);
    expect((await n.req("GET", "/v1/decisions/stream?startup=true")).status).toBe(403);
    await n.req("POST", "/v1/bans", { token: write, body: { address: "203.0.113.50", ttl_s: 3600 } });
    const first = await stream("?startup=true");
    expect(first.status).toBe(200);
    const hit = first.json.new.find((d: { value: string }) => d.value === "203.0.113.50");
    expect(hit).toMatchObject({ scope: "Ip", type: "ban", origin: "honeymesh" });
    expect(hit.duration).toMatch(/^0h5[89]m[\d.]+s$|^1h0m0s$/);
    expect(first.json.deleted).toEqual([]);
    await n.req("POST", "/v1/bans", { token: write, body: { address: "203.0.113.51", ttl_s: 3600 } });
    await n.req("DELETE", "/v1/bans/203.0.113.50", { token: write });
    const next = await stream("");
    expect(next.json.new.map((d: { value: string }) => d.value)).toEqual(["203.0.113.51"]);
    expect(next.json.deleted.map((d: { value: string }) => d.value)).toEqual(["203.0.113.50"]);
    const quiet = await stream("");
    expect(quiet.json).toEqual({ new: [], deleted: [] });
    const live = await curl(["-H", `X-Api-Key: ${k}`, `${n.base}/v1/decisions?ip=203.0.113.51`]);
    expect(live.json).toEqual([expect.objectContaining({ value: "203.0.113.51", type: "ban" })]);
    expect((await curl(["-H", `X-Api-Key: ${k}`, `${n.base}/v1/decisions?ip=203.0.113.50`])).body).toBe("null");
  });
});
