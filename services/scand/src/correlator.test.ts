import { afterEach, describe, expect, test } from "bun:test";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { AllowSet } from "@honeymesh/ban/allowlist";
import type { Decision } from "@honeymesh/schema/decision";
import type { TrapSession } from "@honeymesh/schema/trap";
import { ActiveBans } from "./active-bans.ts";
import { Correlator, type CorrelatorOptions } from "./correlator.ts";
import { DecisionQueue } from "./decision-queue.ts";
import { SubnetAggregator } from "./rules/subnet.ts";

const opts: CorrelatorOptions = {
  nodeId: "n1", portsThreshold: 3, windowMs: 60_000, trapTouch: true, trapTouchDelayMs: 5_000, lowSlowPorts: 100, lowSlowWindowMs: 86_400_000,
  bruteforceAttempts: 3, bruteforceWindowMs: 600_000, entropyThreshold: 7.2, entropyMinBytes: 256, maxSources: 1000,
  ttl: { baseS: 60, factor: 2, maxS: 3600, jitter: 0 },
  synOnly: "local", unverifiedTtlS: 10,
};
const live: Correlator[] = [];
afterEach(() => live.splice(0).forEach((c) => c.stop()));

function make(allow: string[] = [], history: Record<string, number> = {}, over: Partial<CorrelatorOptions> = {}) {
  const out: Decision[] = [];
  const a = new AllowSet();
  a.add(allow);
  const c = new Correlator({ ...opts, ...over }, {
    allow: a,
    active: new ActiveBans(1000),
    history: { count: (v: string) => history[v] ?? 0, record: () => {} } as never,
    subnets: new SubnetAggregator({ v4: false, v4Prefix: 24, v6: false, v6Prefix: 64, threshold: 3, windowMs: 1 }),
    queue: new DecisionQueue(1000, 1000, async (d) => void out.push(d)),
    tracer: trace.getTracer("t"),
  });
  live.push(c);
  return { c, out };
}
const hit = (src: string, port: number, at = Date.now()) => ({ session_id: "s1234567", service: "ssh" as const, src, src_port: 5555, dst_port: port, at });
const session = (src: string, n: number): TrapSession => ({
  session_id: "s1234567", service: "ssh", src, src_port: 5555, dst: "10.0.0.1", dst_port: 2222, started_at: Date.now(), ended_at: Date.now(), bytes_in: 100, bytes_out: 100,
  credentials: Array.from({ length: n }, (_, i) => ({ method: "password" as const, username: "root", password: `p${i}` })), commands: [], payload_b64: "", entropy: 3, meta: {}, end_reason: "closed",
});

test("a trap touch alone bans only after the grace; a brute force inside it bans at once with TRAP too", async () => {
  const { c, out } = make();
  c.onHit(hit("198.51.100.1", 2222), ROOT_CONTEXT);
  c.onHit(hit("198.51.100.2", 2222), ROOT_CONTEXT);
  c.onSession(session("198.51.100.2", 3), ROOT_CONTEXT);
  await Bun.sleep(10);
  expect(out.map((d) => [d.address.text, d.reasons])).toEqual([["198.51.100.2", 33]]);
  expect(out[0]!.evidence.some((e) => e.kind === "trap" && e.summary.startsWith("TRAP: touched ssh on port 2222") && e.trap === "ssh")).toBe(true);
  c.sweepTouches(Date.now() + 4_000);
  await Bun.sleep(10);
  expect(out).toHaveLength(1);
  c.sweepTouches(Date.now() + 5_001);
  await Bun.sleep(10);
  expect(out.map((d) => [d.address.text, d.reasons])).toEqual([["198.51.100.2", 33], ["198.51.100.1", 1]]);
});

test("repeated evidence about a banned source is one decision; allowlisted sources none; escalation uses history", async () => {
  const { c, out } = make(["203.0.113.0/24"], { "198.51.100.9": 2 });
  for (const p of [1, 2, 3, 4, 5, 6]) c.onHit(hit("198.51.100.9", p), ROOT_CONTEXT);
  for (const p of [1, 2, 3, 4]) c.onHit(hit("203.0.113.5", p), ROOT_CONTEXT);
  await Bun.sleep(10);
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ address: { kind: "ip", text: "198.51.100.9" }, reasons: 2 | 1, ttl_s: 240, offence: 3 });
  expect(c.counters.get("allowlisted")).toBe(4);
});

const syn = (src: string, ports: number[], at = Date.now()) => ({ src, ports, port_count: ports.length, window_s: 60, at });

test("with no grace (trap_touch_delay_s = 0) one trap touch bans at once, verified", async () => {
  const { c, out } = make([], {}, { trapTouchDelayMs: 0 });
  c.onHit(hit("198.51.100.30", 2222), ROOT_CONTEXT);
  await Bun.sleep(10);
  expect(out.map((d) => [d.address.text, d.reasons, d.confidence])).toEqual([["198.51.100.30", 1, "verified"]]);
});

describe("graded evidence", () => {
  test("kernel SYNs alone: an unverified, short, unescalated decision; a trap handshake then upgrades it", async () => {
    const { c, out } = make([], { "198.51.100.20": 2 });
    c.onSyn(syn("198.51.100.20", [1, 2, 3, 4]), ROOT_CONTEXT);
    c.onSyn(syn("198.51.100.20", [5, 6, 7]), ROOT_CONTEXT);
    await Bun.sleep(10);
    // Short (unverified_ttl_s 10 < base 60, no ×2² for the history), offence not raised, one decision.
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ confidence: "unverified", ttl_s: 10, offence: 2, reasons: 2 });
    expect(out[0]!.evidence[0]!.summary).toMatch(/^SCAN: kernel saw 4 ports .*; SYN only, unverified$/);
    expect(c.counters.get("decided_unverified")).toBe(1);
    // The same source completes handshakes with traps: verified, a full escalated ban.
    for (const p of [2222, 2323, 2121]) c.onHit(hit("198.51.100.20", p), ROOT_CONTEXT);
    await Bun.sleep(10);
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ confidence: "verified", ttl_s: 240, offence: 3 });
  });

  test("a crossing the kernel fast path already banned is no second decision under syn_only = local; verified evidence and syn_only = ban still decide", async () => {
    const { c, out } = make([], {}, { trapTouchDelayMs: 60_000 });
    c.onSyn({ ...syn("198.51.100.22", [1, 2, 3]), kernel_banned: true }, ROOT_CONTEXT);
    await Bun.sleep(10);
    expect(out).toHaveLength(0);
    expect(c.counters.get("already_banned")).toBe(1);
    // A source that completed a handshake: its SYNs are verified, the kernel's short ban is not enough.
    c.onHit(hit("198.51.100.23", 2222), ROOT_CONTEXT);
    c.onSyn({ ...syn("198.51.100.23", [1, 2, 3]), kernel_banned: true }, ROOT_CONTEXT);
    await Bun.sleep(10);
    expect(out.map((d) => [d.address.text, d.confidence])).toEqual([["198.51.100.23", "verified"]]);
    const ban = make([], {}, { synOnly: "ban" });
    ban.c.onSyn({ ...syn("198.51.100.24", [1, 2, 3]), kernel_banned: true }, ROOT_CONTEXT);
    await Bun.sleep(10);
    expect(ban.out.map((d) => d.address.text)).toEqual(["198.51.100.24"]);
  });

  test("SYNs from a source that completed a handshake inside the window are verified", async () => {
    const { c, out } = make([], {}, { trapTouchDelayMs: 60_000 });
    c.onHit(hit("198.51.100.21", 2222), ROOT_CONTEXT);
    c.onSyn(syn("198.51.100.21", [1, 2, 3]), ROOT_CONTEXT);
    await Bun.sleep(10);
    expect(out.map((d) => [d.confidence, d.ttl_s, d.reasons])).toEqual([["verified", 60, 3]]);
  });

  test("syn_only = observe counts unverified evidence and never decides; ban decides as verified would", async () => {
    const o = make([], {}, { synOnly: "observe" });
    o.c.onSyn(syn("198.51.100.22", [1, 2, 3]), ROOT_CONTEXT);
    await Bun.sleep(10);
    expect(o.out).toEqual([]);
    expect(o.c.counters.get("observed")).toBe(1);
    const b = make([], { "198.51.100.22": 1 }, { synOnly: "ban" });
    b.c.onSyn(syn("198.51.100.22", [1, 2, 3]), ROOT_CONTEXT);
    await Bun.sleep(10);
    expect(b.out[0]).toMatchObject({ confidence: "unverified", ttl_s: 120, offence: 2 });
  });
});

test("a logd jail failure bans with EXTERNAL for the jail's bantime, evidence kind jail; allowlisted or bad addresses none", async () => {
  const { c, out } = make(["203.0.113.0/24"]);
  const f = { jail: "sshd", count: 5, window_s: 600, bantime_s: 300, first_at: 1, last_at: 2, summary: "sshd: 5 failures for root in 41 s" };
  c.onJail({ ...f, address: "198.51.100.77" }, ROOT_CONTEXT);
  c.onJail({ ...f, address: "198.51.100.77" }, ROOT_CONTEXT);
  c.onJail({ ...f, address: "203.0.113.5" }, ROOT_CONTEXT);
  c.onJail({ ...f, address: "not-an-ip" }, ROOT_CONTEXT);
  c.onJail({ ...f, address: "2001:DB8:0::1" }, ROOT_CONTEXT);
  await Bun.sleep(10);
  expect(out.map((d) => [d.address.text, d.reasons, d.ttl_s])).toEqual([
    ["198.51.100.77", 64, 300],
    ["2001:db8::1", 64, 300],
  ]);
  expect(out[0]!.evidence).toEqual([{ kind: "jail", summary: "sshd: 5 failures for root in 41 s", jail: "sshd", count: 5, window_s: 600 }]);
  expect(c.counters.pick(["allowlisted", "bad_source", "already_banned"])).toEqual({ allowlisted: 1, bad_source: 1, already_banned: 1 });
});
