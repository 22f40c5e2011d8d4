import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { context, trace } from "@opentelemetry/api";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { openStore } from "@honeymesh/db/open";
import { parseAddress } from "@honeymesh/net/address";
import { newWriteId, type Decision } from "@honeymesh/schema/decision";
import { createLogger } from "@honeymesh/telemetry/logger";
import * as schema from "@honeymesh/tables/enforcerd";
import { DecisionApplier } from "../decisions/apply-decision.ts";
import { SessionReader } from "./session-reader.ts";
import { BanStore } from "../store/ban-store.ts";
import { decodeHexAddress, parseProcNetTcp } from "./live-sessions.ts";
import { ProtectedSet } from "./protected-set.ts";
import { parseMeshPeers, parseNtpConf, parseResolvConf } from "./system-files.ts";

const p = (t: string) => {
  const r = parseAddress(t);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe("protected set sources", () => {
  test("resolv.conf: nameserver lines with literal addresses, zones dropped, comments and junk ignored", () => {
    const text = "# generated\nsearch example.com\nnameserver 192.0.2.53\nnameserver fe80::1%eth0 ; link-local\n;nameserver 192.0.2.99\nnameserver not-an-ip\nnameserver 2001:DB8::53\n";
    expect(parseResolvConf(text)).toEqual(["192.0.2.53", "fe80::1", "2001:db8::53"]);
  });

  test("NTP: timesyncd NTP=/FallbackNTP=, chrony/ntpd server/pool/peer lines; host names are not resolved", () => {
    expect(parseNtpConf("[Time]\nNTP=192.0.2.123 ntp.example.org\nFallbackNTP=2001:db8::123\n#NTP=198.51.100.1\n")).toEqual(["192.0.2.123", "2001:db8::123"]);
    expect(parseNtpConf("pool 2.debian.pool.ntp.org iburst\nserver 198.51.100.123 iburst\npeer [2001:db8::7]\n! server 203.0.113.1\n")).toEqual(["198.51.100.123", "2001:db8::7"]);
  });

  test("mesh peers: literal addresses of bootstrap multiaddrs and cluster entries", () => {
    expect(parseMeshPeers(["/ip4/192.0.2.7/tcp/7946/p2p/12D3Koo", "/dns4/peer.example/tcp/1"], ["b=/k@[2001:db8::9]:7946", "c=/k@host.example:1"])).toEqual(["192.0.2.7", "2001:db8::9"]);
  });

  test("/proc/net/tcp: established connections to non-trap ports, host-order hex, v4-mapped folded", () => {
    // 0100007F = 127.0.0.1, 0A01A8C0 = 192.168.1.10 (little-endian words, proc(5)).
    const v4 = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:0016 0A01A8C0:D431 01 00000000:00000000 00:00000000 00000000     0        0 1 1",
      "   1: 0100007F:08AE 0B01A8C0:D432 01 00000000:00000000 00:00000000 00000000     0        0 1 1",
      "   2: 0100007F:0016 0C01A8C0:D433 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
      "   3: garbage",
    ].join("\n");
    // Port 0x08AE = 2222 is a trap; state 0A is LISTEN.
    expect([...parseProcNetTcp(v4, new Set([2222]))]).toEqual(["192.168.1.10"]);
    expect(decodeHexAddress("0000000000000000FFFF00000A01A8C0")).toBe("192.168.1.10");
    expect(decodeHexAddress("B80D0120000000000000000001000000")).toBe("2001:db8::1");
    expect(decodeHexAddress("zz")).toBeUndefined();
  });
});

describe("protected set", () => {
  test("resolvers protect from every automatic decision, sessions only from unverified ones; re-read on demand", () => {
    let sessions = new Set(["198.51.100.5"]);
    let reads = 0;
    const changes: string[][] = [];
    const set = new ProtectedSet(
      { fixed: () => ({ resolver: ["192.0.2.53"], ntp: [], peer: [] }), sessions: () => (reads++, sessions) },
      { sessionMaxAgeMs: 1000, fixedMaxAgeMs: 30_000, onChange: (e) => changes.push(e.map((x) => `${x.text}=${x.source}`)) },
    );
    expect(set.protects(p("192.0.2.53"), "verified", 0)).toEqual({ text: "192.0.2.53", source: "resolver" });
    expect(set.protects(p("198.51.100.5"), "unverified", 0)).toEqual({ text: "198.51.100.5", source: "session" });
    expect(set.protects(p("198.51.100.5"), "verified", 0)).toBeUndefined();
    // A prefix containing a protected address would drop it: protected too.
    expect(set.protects(p("192.0.2.0/24"), "verified", 0)?.source).toBe("resolver");
    expect(changes).toEqual([["192.0.2.53=resolver", "198.51.100.5=session"]]);
    sessions = new Set(["198.51.100.6"]);
    expect(set.protects(p("198.51.100.6"), "unverified", 500)).toBeUndefined(); // snapshot still fresh
    expect(set.protects(p("198.51.100.6"), "unverified", 1000)?.source).toBe("session");
    expect(reads).toBe(2);
    expect(changes.at(-1)).toEqual(["192.0.2.53=resolver", "198.51.100.6=session"]);
  });

  test("unverified decisions take the background reader's snapshot when it is younger than the limit; read on demand only when it is not", () => {
    let reads = 0;
    let touched = 0;
    let snap: { set: Set<string>; at: number } | undefined;
    const set = new ProtectedSet(
      { fixed: () => ({ resolver: [], ntp: [], peer: [] }), sessions: () => (reads++, new Set<string>()), background: { touch: () => void touched++, snapshot: () => snap, close: () => {} } },
      { sessionMaxAgeMs: 10_000, onDemandMaxAgeMs: 250, fixedMaxAgeMs: 30_000 },
    );
    // Nothing from the background yet: the first unverified decision reads itself.
    expect(set.protects(p("198.51.100.7"), "unverified", 1_000)).toBeUndefined();
    expect([reads, touched]).toEqual([1, 1]);
    // A snapshot read at 1 200 ms holds the address: 300 ms after the on-demand read, no read of our own.
    snap = { set: new Set(["198.51.100.7"]), at: 1_200 };
    expect(set.protects(p("198.51.100.7"), "unverified", 1_300)).toEqual({ text: "198.51.100.7", source: "session" });
    expect(reads).toBe(1);
    // The reader stalled: its snapshot is too old, so the decision reads on demand again.
    expect(set.protects(p("198.51.100.7"), "unverified", 1_600)).toBeUndefined();
    expect(reads).toBe(2);
    // Verified decisions never wake the reader.
    set.protects(p("198.51.100.8"), "verified", 1_700);
    expect(touched).toBe(3);
  });
});

describe("session reader", () => {
  test("the worker reads the real TCP tables while touched and reports a snapshot with its age", async () => {
    const { createServer, connect } = await import("node:net");
    const server = createServer(() => {}).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, "127.0.0.1");
    await new Promise((r) => client.once("connect", r));
    const reader = new SessionReader({ trapPorts: new Set(), periodMs: 50 });
    try {
      const t0 = performance.now();
      reader.touch(t0);
      for (let i = 0; i < 100 && reader.reads < 2; i++) await Bun.sleep(20);
      const s = reader.snapshot();
      expect(s?.set.has("127.0.0.1")).toBe(true);
      expect(s!.at).toBeGreaterThanOrEqual(t0 - 5);
      expect(s!.at).toBeLessThanOrEqual(performance.now());
    } finally {
      reader.close();
      client.destroy();
      server.close();
    }
  });
});

describe("enforcerd applies graded evidence and the protected set", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  function applier(synOnly: "observe" | "local" | "ban" = "local") {
    const dir = mkdtempSync(join(tmpdir(), "hm-graded-"));
    dirs.push(dir);
    const store = new BanStore(openStore({ path: join(dir, "enforcerd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle") }));
    const protect = new ProtectedSet({ fixed: () => ({ resolver: ["192.0.2.53"], ntp: ["192.0.2.123"], peer: [] }), sessions: () => new Set(["198.51.100.5"]) }, { sessionMaxAgeMs: 1000, fixedMaxAgeMs: 30_000 });
    const allow = new AllowSet();
    allow.add(["203.0.113.0/24"], "config");
    const a = new DecisionApplier({ store, kernel: () => undefined, allow, publish: async () => {}, results: async () => {}, maxTtlS: 86_400, protect, unverified: { synOnly, ttlS: 600 }, tracer: trace.getTracer("t"), logger: createLogger("enforcerd", "error", () => {}) });
    return { store, run: async (over: Partial<Decision>) => (await a.apply(decision(over), context.active()))[0]! };
  }
  const decision = (over: Partial<Decision>): Decision => ({ id: newWriteId("test"), action: "ban", address: { kind: "ip", text: "198.51.100.9" }, reasons: 2, ttl_s: 86_400, origin: "n", source: "scand", evidence: [], offence: 1, confidence: "unverified", at: Date.now(), ...over });

  test("automatic decisions on protected entries are refused with the entry and its source; the operator may still ban", async () => {
    const { run } = applier();
    const r = await run({ address: { kind: "ip", text: "192.0.2.53" }, confidence: "verified" });
    expect(r).toMatchObject({ outcome: "refused", refusal: "protected" });
    expect(r.detail).toContain("192.0.2.53, resolver");
    expect(await run({ address: { kind: "ip", text: "192.0.2.123" }, source: "meshd" })).toMatchObject({ outcome: "refused", refusal: "protected" });
    expect((await run({ address: { kind: "ip", text: "198.51.100.5" } })).detail).toContain("198.51.100.5, session");
    // A live session is banned on verified evidence, and by the operator.
    expect(await run({ address: { kind: "ip", text: "198.51.100.5" }, confidence: "verified" })).toMatchObject({ outcome: "added" });
    expect(await run({ address: { kind: "ip", text: "192.0.2.53" }, source: "apid", confidence: undefined })).toMatchObject({ outcome: "added" });
    // The allowlist binds everyone.
    expect(await run({ address: { kind: "ip", text: "203.0.113.4" }, source: "apid" })).toMatchObject({ outcome: "refused", refusal: "allowlisted" });
  });

  test("local: unverified bans are capped at unverified_ttl_s and not offences; a verified decision upgrades to the full TTL", async () => {
    const { run, store } = applier();
    const before = Date.now();
    const u = await run({});
    expect(u).toMatchObject({ outcome: "added", ban: { confidence: "unverified", offence: 0 } });
    expect(u.ban!.expires_at - before).toBeLessThanOrEqual(600_000 + 1000);
    expect(u.detail).toContain("on unverified evidence");
    const v = await run({ confidence: "verified" });
    expect(v).toMatchObject({ outcome: "extended", ban: { confidence: "verified", offence: 1 } });
    expect(v.ban!.expires_at - before).toBeGreaterThan(86_000_000);
    const again = await run({ reasons: 16 });
    expect(again).toMatchObject({ outcome: "unchanged", ban: { reasons: 2 } });
    expect(again.detail).toContain("unverified evidence never extends a verified ban");
    expect(store.offenceCount("198.51.100.9")).toBe(1);
  });

  test("observe refuses unverified decisions; ban applies them in full", async () => {
    expect(await applier("observe").run({})).toMatchObject({ outcome: "refused", refusal: "observe_only" });
    const b = await applier("ban").run({});
    expect(b).toMatchObject({ outcome: "added", ban: { confidence: "unverified", offence: 1 } });
    expect(b.ban!.expires_at - Date.now()).toBeGreaterThan(86_000_000);
  });
});
