import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore } from "../../packages/db/src/open.ts";
import * as schema from "../../packages/tables/src/enforcerd.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import { ROOT } from "../support/bus-node.ts";
import { ApiNode } from "./harness.ts";

let n: ApiNode;
let store: ReturnType<typeof openStore<typeof schema>>;

const now = Date.now();
const row = (address: string, reasons: number, over: Partial<BanRow> = {}): BanRow => ({ address, kind: address.includes("/") ? "cidr" : "ip", reasons, expiresAt: now + 3_600_000, createdAt: now, updatedAt: now, origin: "node-a", source: "scand", offence: 1, evidence: [{ kind: "trap", summary: "TRAP: ssh" }], confidence: "verified", ...over });

beforeAll(async () => {
  n = await new ApiNode().start();
  store = openStore({ path: join(n.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") });
  new BanStore(store).putMany([
    row("192.0.2.1", 1),
    row("192.0.2.2", 2, { origin: "peer-b", source: "meshd" }),
    row("2001:db8::/48", 8, { expiresAt: 0 }),
    row("198.51.100.0/24", 64, { source: "feed:level1", evidence: [{ kind: "external", summary: "feed level1" }] }),
    row("192.0.2.9", 1, { expiresAt: now - 1000 }),
  ]);
});
afterAll(async () => {
  store?.close();
  await n?.stop();
});

describe("GET /v1/feeds/{format}: the node's bans as a blocklist", () => {
  test("plain: one address or prefix per line after a comment; expired bans and imported feeds left out", async () => {
    const r = await n.req("GET", "/v1/feeds/plain");
    expect(r.status).toBe(200);
    const lines = r.body.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines.sort()).toEqual(["192.0.2.1", "192.0.2.2", "2001:db8::/48"]);
    expect(r.body.startsWith("# HoneyMesh blocklist")).toBe(true);
    const all = await n.req("GET", "/v1/feeds/plain?include_feeds=true");
    expect(all.body).toContain("198.51.100.0/24\n");
  });

  test("filters by reason and origin", async () => {
    const trap = await n.req("GET", "/v1/feeds/plain?reason=TRAP,MANUAL");
    expect(trap.body.split("\n").filter((l) => l && !l.startsWith("#")).sort()).toEqual(["192.0.2.1", "2001:db8::/48"]);
    const peer = await n.req("GET", "/v1/feeds/plain?origin=peer-b");
    expect(peer.body.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(["192.0.2.2"]);
    const bad = await n.req("GET", "/v1/feeds/plain?reason=NOPE");
    expect(bad.status).toBe(400);
    expect((await n.req("GET", "/v1/feeds/xml")).status).toBe(400);
  });

  test("csv: header and one row per ban, permanence as an empty expiry", async () => {
    const r = await n.req("GET", "/v1/feeds/csv");
    const lines = r.body.trim().split("\r\n");
    expect(lines[0]).toBe("address,kind,reasons,expires_at,created_at,origin");
    expect(lines.length).toBe(4);
    expect(lines.find((l) => l.startsWith("2001:db8::/48"))).toMatch(/^2001:db8::\/48,cidr,MANUAL,,\d{4}-/);
  });

  test("stix: a STIX 2.1 bundle of an identity and one indicator per ban, ids stable across exports", async () => {
    const r = await n.req("GET", "/v1/feeds/stix");
    expect(r.status).toBe(200);
    const b = JSON.parse(r.body) as { type: string; id: string; objects: Record<string, any>[] };
    expect(b.type).toBe("bundle");
    expect(b.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [identity, ...inds] = b.objects;
    expect(identity).toMatchObject({ type: "identity", spec_version: "2.1", identity_class: "system" });
    expect(inds.length).toBe(3);
    const v6 = inds.find((i) => i.pattern.includes("2001:db8::/48"))!;
    expect(v6).toMatchObject({ type: "indicator", spec_version: "2.1", pattern_type: "stix", pattern: "[ipv6-addr:value = '2001:db8::/48']", created_by_ref: identity!.id, labels: ["manual"] });
    expect(v6.valid_until).toBeUndefined();
    const v4 = inds.find((i) => i.pattern === "[ipv4-addr:value = '192.0.2.1']")!;
    expect(Date.parse(v4.valid_until)).toBeGreaterThan(Date.parse(v4.valid_from));
    expect(v4.description).toBe("TRAP: ssh");
    const again = JSON.parse((await n.req("GET", "/v1/feeds/stix")).body) as typeof b;
    expect(again.objects.map((o) => o.id).sort()).toEqual(b.objects.map((o) => o.id).sort());
  });

  test("GET /v1/feeds still lists the configured feeds (none here)", async () => {
    const r = await n.req("GET", "/v1/feeds");
    expect(r.json).toEqual({ items: [] });
  });
});

describe("GET /v1/stats/history", () => {
  test("answers buckets (none yet on a fresh node) and refuses bad ranges and steps", async () => {
    const r = await n.req("GET", "/v1/stats/history");
    expect(r.status).toBe(200);
    expect(r.json.step).toBe(60);
    expect(r.json.to - r.json.from).toBe(3_600_000);
    expect(Array.isArray(r.json.points)).toBe(true);
    expect((await n.req("GET", "/v1/stats/history?step=90")).status).toBe(400);
    expect((await n.req("GET", "/v1/stats/history?from=10&to=5")).status).toBe(400);
    expect((await n.req("GET", `/v1/stats/history?from=0&to=${Date.now()}&step=60`)).status).toBe(400);
  });
});
