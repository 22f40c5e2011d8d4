// The node's protected set through the API (issue 12): real busd, enforcerd and apid, real SQLite.
// enforcerd reads the resolver from a resolv.conf the test controls and mirrors it for apid.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiNode } from "./harness.ts";

const RESOLVER = "192.0.2.153";
const NTP = "198.51.100.123";
let n: ApiNode;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hm-protected-"));
  writeFileSync(join(dir, "resolv.conf"), `nameserver ${RESOLVER}\nnameserver 127.0.0.53\n`);
  writeFileSync(join(dir, "chrony.conf"), `pool 2.debian.pool.ntp.org iburst\nserver ${NTP} iburst\n`);
  n = await new ApiNode().start({ HONEYMESH_NODE_RESOLV_CONF: join(dir, "resolv.conf"), HONEYMESH_NODE_NTP_CONFS: join(dir, "chrony.conf") });
}, 30_000);
afterAll(() => {
  n?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Entry = { address: string; source: string; note: string };

describe("protected set", () => {
  test("GET /v1/allowlist lists the resolver and the NTP server with their sources; loopback stays a system entry", async () => {
    let items: Entry[] = [];
    const deadline = Date.now() + 10_000;
    while (!items.some((e) => e.source === "resolver") && Date.now() < deadline) {
      items = (await n.req("GET", "/v1/allowlist")).json.items as Entry[];
      await Bun.sleep(100);
    }
    expect(items).toContainEqual(expect.objectContaining({ address: RESOLVER, source: "resolver" }));
    expect(items).toContainEqual(expect.objectContaining({ address: NTP, source: "ntp" }));
    // 127.0.0.53 is inside the system entry 127.0.0.0/8: listed once, as that.
    expect(items.filter((e) => e.address === "127.0.0.53")).toEqual([]);
  });

  test("an operator may still ban a protected address (only automatic decisions are refused); explain says both", async () => {
    const r = await n.req("POST", "/v1/bans", { body: { address: RESOLVER, ttl_s: 600 } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ outcome: "added", ban: { confidence: "verified" } });
    const ex = (await n.req("GET", `/v1/explain/${RESOLVER}`)).json;
    expect(ex).toMatchObject({ blocked: true, allowlisted_by: [], protected_by: [{ address: RESOLVER, source: "resolver" }], bans: [{ confidence: "verified" }] });
    expect(ex.summary).toContain("verified evidence");
    expect(ex.summary).toContain(`protected (${RESOLVER}, resolver)`);
    expect((await n.req("GET", `/v1/bans/${RESOLVER}`)).json.confidence).toBe("verified");
  });
});
