import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import type { TSchema } from "@sinclair/typebox";
import { TaxiiApiRoot, TaxiiCollection, TaxiiCollections, TaxiiDiscovery, TaxiiEnvelope, TaxiiErrorMessage, TaxiiManifest } from "../../packages/api/src/taxii.ts";
import { openStore } from "../../packages/db/src/open.ts";
import * as schema from "../../packages/tables/src/enforcerd.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import { ROOT } from "../support/bus-node.ts";
import { ApiNode } from "./harness.ts";

// A real apid on a real enforcerd store, asked as a TAXII 2.1 client asks (OASIS TAXII 2.1 §4, §5):
// Accept: application/taxii+json;version=2.1, credentials, trailing-slash URLs, next/added_after.
let n: ApiNode;
let store: ReturnType<typeof openStore<typeof schema>>;
let reader = "";
const TAXII = "application/taxii+json;version=2.1";
const now = Date.now();
const base = now - 3_600_000;
const LOCAL = 230;

function row(address: string, i: number, over: Partial<BanRow> = {}): BanRow {
  // Ten bans share one timestamp: pages must not lose or repeat objects on a tie.
  const at = i >= 100 && i < 110 ? base + 100_000 : base + i * 1000;
  return { address, kind: "ip", reasons: 2, expiresAt: now + 3_600_000, createdAt: at, updatedAt: at, origin: "", source: "scand", offence: 1, evidence: [{ kind: "scan", summary: "SCAN: ports 22,80,443" }], confidence: "verified", ...over };
}

async function get(path: string, o: { accept?: string | null; auth?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (o.accept !== null) headers.accept = o.accept ?? TAXII;
  const auth = o.auth === undefined ? `Bearer ${reader}` : o.auth;
  if (auth) headers.authorization = auth;
  const r = await fetch(path.startsWith("http") ? path : `${n.base}${path}`, { headers });
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, type: r.headers.get("content-type") ?? "", headers: r.headers, json, text };
}

function shaped(schema: TSchema, v: unknown) {
  const errors = [...Value.Errors(schema, v)].map((e) => `${e.path}: ${e.message}`);
  expect(errors).toEqual([]);
}

let nodeId = "";
const COLL = "/taxii2/honeymesh/collections";

beforeAll(async () => {
  n = await new ApiNode().start();
  nodeId = (await n.req("GET", "/v1/status")).json.node;
  reader = await n.token("read");
  store = openStore({ path: join(n.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") });
  const rows: BanRow[] = [];
  for (let i = 0; i < LOCAL; i++) rows.push(row(`198.18.${i >> 8}.${i & 255}`, i, { origin: nodeId }));
  rows.push(row("192.0.2.50", 300, { origin: nodeId, confidence: "unverified" }));
  rows.push(row("192.0.2.51", 301, { origin: "peer-b", source: "meshd", reasons: 4 }));
  rows.push(row("192.0.2.52", 302, { origin: nodeId, source: "feed:level1", reasons: 64 }));
  rows.push(row("192.0.2.53", 303, { origin: nodeId, expiresAt: now - 1000 }));
  new BanStore(store).putMany(rows);
  // apid opens enforcerd's file when it first reads it (and retries once a second before it exists).
  for (let i = 0; i < 100; i++) {
    if ((await n.req("GET", "/v1/feeds/plain")).body.includes("198.18.0.0\n")) break;
    await Bun.sleep(100);
  }
}, 60_000);
afterAll(async () => {
  store?.close();
  await n?.stop();
});

async function collectionId(alias: string): Promise<string> {
  const r = await get(`${COLL}/`);
  return r.json.collections.find((c: { alias: string }) => c.alias === alias).id;
}

/** Every object of a collection, following `next` as a client does. */
async function walk(id: string, path: "objects" | "manifest", limit: number, extra = "") {
  const out: any[] = [];
  const pages: { first: string | null; last: string | null; more: boolean; n: number }[] = [];
  let next: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const r = await get(`${COLL}/${id}/${path}/?limit=${limit}${extra}${next ? `&next=${encodeURIComponent(next)}` : ""}`);
    expect(r.status).toBe(200);
    expect(r.type).toBe(TAXII);
    shaped(path === "objects" ? TaxiiEnvelope : TaxiiManifest, r.json);
    const objs = r.json.objects ?? [];
    expect(objs.length).toBeLessThanOrEqual(limit);
    out.push(...objs);
    pages.push({ first: r.headers.get("x-taxii-date-added-first"), last: r.headers.get("x-taxii-date-added-last"), more: r.json.more, n: objs.length });
    if (!r.json.more) return { out, pages };
    expect(typeof r.json.next).toBe("string");
    next = r.json.next;
  }
  throw new Error("pagination did not end");
}

describe("TAXII 2.1 server", () => {
  test("discovery, API root, collections: the spec's shapes and media type", async () => {
    const d = await get("/taxii2/");
    expect(d.status).toBe(200);
    expect(d.type).toBe(TAXII);
    shaped(TaxiiDiscovery, d.json);
    expect(d.json.api_roots).toEqual([`${n.base}/taxii2/honeymesh/`]);
    const root = await get(d.json.api_roots[0]);
    shaped(TaxiiApiRoot, root.json);
    expect(root.json.versions).toEqual([TAXII]);
    const cs = await get(`${COLL}/`);
    shaped(TaxiiCollections, cs.json);
    expect(cs.json.collections.map((c: { alias: string }) => c.alias)).toEqual(["bans", "verified", "local-verified"]);
    for (const c of cs.json.collections) {
      expect(c).toMatchObject({ can_read: true, can_write: false, media_types: ["application/stix+json;version=2.1"] });
      const one = await get(`${COLL}/${c.id}/`);
      shaped(TaxiiCollection, one.json);
      expect(one.json).toEqual(c);
    }
  });

  test("objects: pages of `limit` with more/next reach every object once, oldest first, as in /v1/feeds/stix", async () => {
    const id = await collectionId("bans");
    const { out, pages } = await walk(id, "objects", 100);
    // 230 local + the unverified + the mesh ban; not the feed's, not the expired one
    expect(out.length).toBe(LOCAL + 2);
    expect(new Set(out.map((o) => o.id)).size).toBe(out.length);
    expect(pages.map((p) => p.n)).toEqual([100, 100, 32]);
    expect(pages.map((p) => p.more)).toEqual([true, true, false]);
    const modified = out.map((o) => Date.parse(o.modified));
    expect(modified).toEqual([...modified].sort((a, b) => a - b));
    // the headers bound each page
    expect(pages[0]!.first).toBe(out[0].modified);
    expect(pages[0]!.last).toBe(out[99].modified);
    const feed = JSON.parse((await n.req("GET", "/v1/feeds/stix")).body).objects.filter((o: { type: string }) => o.type === "indicator");
    expect(out.map((o) => o.id).sort()).toEqual(feed.map((o: { id: string }) => o.id).sort());
    const byId = new Map(feed.map((o: { id: string }) => [o.id, o]));
    for (const o of out) expect(o).toEqual(byId.get(o.id) as object);
  });

  test("added_after: only what was added after the last page a client saw", async () => {
    const id = await collectionId("bans");
    const first = await get(`${COLL}/${id}/objects/?limit=50`);
    const last = first.headers.get("x-taxii-date-added-last")!;
    const rest = await walk(id, "objects", 1000, `&added_after=${last}`);
    expect(rest.out.length).toBe(LOCAL + 2 - 50);
    expect(rest.out.every((o) => Date.parse(o.modified) > Date.parse(last))).toBe(true);
    const none = await get(`${COLL}/${id}/objects/?added_after=${new Date(now + 60_000).toISOString()}`);
    expect(none.json).toEqual({ more: false });
    expect(none.headers.get("x-taxii-date-added-first")).toBeNull();
    expect((await get(`${COLL}/${id}/objects/?added_after=yesterday`)).status).toBe(400);
  });

  test("collections narrow: verified leaves out the unverified ban, local-verified also the mesh's", async () => {
    const feedPattern = (o: { pattern: string }) => o.pattern;
    const all = (await walk(await collectionId("bans"), "objects", 1000)).out.map(feedPattern);
    const verified = (await walk(await collectionId("verified"), "objects", 1000)).out.map(feedPattern);
    const local = (await walk(await collectionId("local-verified"), "objects", 1000)).out.map(feedPattern);
    expect(all).toContain("[ipv4-addr:value = '192.0.2.50']");
    expect(verified).not.toContain("[ipv4-addr:value = '192.0.2.50']");
    expect(verified).toContain("[ipv4-addr:value = '192.0.2.51']");
    expect(local).not.toContain("[ipv4-addr:value = '192.0.2.51']");
    expect(local.length).toBe(LOCAL);
  });

  test("match[type], match[id], one object, the manifest", async () => {
    const id = await collectionId("bans");
    expect((await get(`${COLL}/${id}/objects/?match[type]=malware`)).json).toEqual({ more: false });
    expect((await get(`${COLL}/${id}/objects/?match[type]=indicator&limit=3`)).json.objects.length).toBe(3);
    const some = (await get(`${COLL}/${id}/objects/?limit=5`)).json.objects;
    const picked = await get(`${COLL}/${id}/objects/?match[id]=${some[1].id},${some[3].id}`);
    expect(picked.json.objects.map((o: { id: string }) => o.id)).toEqual([some[1].id, some[3].id]);
    // match[version]: a timestamp picks the objects of that version (one version per ban here)
    const v = await get(`${COLL}/${id}/objects/?match[version]=${some[4].modified}`);
    expect(v.json.objects.map((o: { id: string }) => o.id)).toEqual([some[4].id]);
    expect((await get(`${COLL}/${id}/objects/?match[version]=last&limit=2`)).json.objects.length).toBe(2);
    const one = await get(`${COLL}/${id}/objects/${some[2].id}/`);
    expect(one.status).toBe(200);
    shaped(TaxiiEnvelope, one.json);
    expect(one.json.objects).toEqual([some[2]]);
    const missing = await get(`${COLL}/${id}/objects/indicator--00000000-0000-4000-8000-000000000000/`);
    expect(missing.status).toBe(404);
    shaped(TaxiiErrorMessage, missing.json);
    const m = await walk(id, "manifest", 100);
    expect(m.out.length).toBe(LOCAL + 2);
    expect(m.out[2]).toEqual({ id: some[2].id, date_added: some[2].modified, version: some[2].modified, media_type: "application/stix+json;version=2.1" });
  });

  test("content negotiation: 406 for an Accept the server cannot serve", async () => {
    for (const accept of ["application/json", "application/taxii+json;version=2.0", "application/stix+json;version=2.1", "application/taxii+json;version=2.1;q=0, */*"]) {
      const r = await get("/taxii2/", { accept });
      expect([accept, r.status]).toEqual([accept, 406]);
      expect(r.type).toBe(TAXII);
      shaped(TaxiiErrorMessage, r.json);
      expect(r.json.http_status).toBe("406");
    }
    for (const accept of [null, "*/*", "application/*", "application/taxii+json", "text/html;q=0.9, application/taxii+json;version=2.1"]) expect((await get("/taxii2/", { accept })).status).toBe(200);
  });

  test("authentication: read tokens as Bearer or as a Basic password; errors as TAXII error messages", async () => {
    const none = await get("/taxii2/", { auth: null });
    expect(none.status).toBe(401);
    expect(none.type).toBe(TAXII);
    shaped(TaxiiErrorMessage, none.json);
    expect(none.json.http_status).toBe("401");
    expect(none.headers.get("www-authenticate")).toContain("Basic");
    const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}`;
    expect((await get("/taxii2/", { auth: basic("any", reader) })).status).toBe(200);
    expect((await get("/taxii2/", { auth: basic("any", "nope") })).status).toBe(401);
    expect((await get("/taxii2/", { auth: "Bearer nope" })).status).toBe(401);
    // Basic is taken on the TAXII routes only; the rest of the API keeps Bearer.
    expect((await n.req("GET", "/v1/bans", { token: null, headers: [`Authorization: ${basic("any", reader)}`] })).status).toBe(401);
  });

  test("404s: unknown collection, unknown path under /taxii2/; trailing slashes elsewhere still refused", async () => {
    const r = await get(`${COLL}/nope/objects/`);
    expect(r.status).toBe(404);
    shaped(TaxiiErrorMessage, r.json);
    const u = await get("/taxii2/other-root/");
    expect(u.status).toBe(404);
    expect(u.type).toBe(TAXII);
    expect((await get(`${COLL}/nope/objects/?limit=0`)).status).toBe(404);
    const id = await collectionId("bans");
    expect((await get(`${COLL}/${id}/objects/?limit=0`)).status).toBe(400);
    expect((await get(`${COLL}/${id}/objects/?next=garbage!`)).status).toBe(400);
    expect((await n.req("GET", "/v1/bans/")).status).toBe(400);
  });
});
