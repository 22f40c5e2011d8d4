// The connection guard end to end: a node (enforcerd + scand) in the victim namespace guards a
// real TCP service; sources in the attacker namespace open connections. Completed handshakes over
// the rate ban the source (BRUTEFORCE, evidence "guard") and XDP drops it; spoofed SYNs that never
// complete a handshake count for nothing; a source under the rate, an allowlisted one, another
// port and another network namespace are never counted against anyone.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { kernelSkipReason, pingOk, ROOT, startListener } from "./harness.ts";
import { freePort } from "../support/bus-node.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";

const FIX = join(ROOT, "test/kernel/fixtures");
const skip = kernelSkipReason() ?? (Bun.which("hping3") ? undefined : "hping3 is not installed");
if (skip) console.warn(`guard e2e skipped: ${skip}`);
const MAX_NEW = 5;
// Free on this machine's loopback too: the other-namespace test listens on it there.
const PORT = freePort();
const OTHER_PORT = PORT === 65535 ? PORT - 1 : PORT + 1;

describe.skipIf(Boolean(skip))("the connection guard: completed handshakes per source, in the kernel", () => {
  let en: EnforcingNode;
  const procs: Subprocess[] = [];
  let host: { stop(closeActive?: boolean): void } | undefined;
  const addr = (n: number) => `${en.pair.attacker.v4.split(".").slice(0, 3).join(".")}.${n}`;
  const connect = async (count: number, from?: string, port = PORT) => {
    const r = await en.pair.run("attacker", ["python3", join(FIX, "tcp-connects.py"), en.pair.victim.v4, String(port), String(count), ...(from ? [from] : [])], 30_000);
    return Number(r.stdout.trim());
  };
  const guard = () => en.node.metrics("enforcerd")?.guard;
  /** The guard's counters once the metrics (published every second) include what just happened. */
  const settledGuard = async () => {
    await Bun.sleep(2_200);
    return guard();
  };
  const bannedAt = (a: string, from = 0) => en.node.lines.slice(from).find((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === a);

  beforeAll(async () => {
    en = await startEnforcingNode({
      services: ["enforcerd", "scand"],
      env: (pair) => ({
        HONEYMESH_GUARD_PORTS: String(PORT),
        HONEYMESH_GUARD_MAX_NEW_PER_MIN: String(MAX_NEW),
        HONEYMESH_ALLOW_CIDRS: `${pair.attacker.v4.split(".").slice(0, 3).join(".")}.210/32`,
        HONEYMESH_NODE_HEALTH_INTERVAL_S: "1",
      }),
    });
    procs.push(await startListener(en.pair, PORT), await startListener(en.pair, OTHER_PORT));
    for (const n of [200, 210, 220, 230, 240]) await en.pair.run("attacker", ["ip", "addr", "add", `${addr(n)}/24`, "dev", en.pair.attacker.ifname]);
  }, 60_000);

  afterAll(async () => {
    host?.stop(true);
    for (const p of procs) p.kill("SIGKILL");
    await en?.stop();
  });

  test("enforcerd reports the guard on, for the configured port", () => {
    const e = en.node.health("enforcerd")?.enforcement;
    expect(e?.guard).toBe("on");
    expect(e?.guard_ports).toEqual([PORT]);
  });

  test("a source under the rate, an allowlisted source over it and another port: counted, never banned", async () => {
    const from = en.node.lines.length;
    expect(await connect(MAX_NEW - 1, addr(200))).toBe(MAX_NEW - 1);
    expect(await connect(MAX_NEW * 3, addr(210))).toBe(MAX_NEW * 3);
    expect(await connect(MAX_NEW * 3, addr(220), OTHER_PORT)).toBe(MAX_NEW * 3);
    // Metrics come every second: wait until they show every guarded handshake.
    const want = MAX_NEW - 1 + MAX_NEW * 3;
    for (let i = 0; i < 100 && (guard()?.established ?? 0) < want; i++) await Bun.sleep(100);
    expect(guard()).toMatchObject({ established: want, allowed: MAX_NEW * 3, reports: 0 });
    await Bun.sleep(1500); // a report would be a ban by now
    for (const n of [200, 210, 220]) expect(bannedAt(addr(n), from)).toBeUndefined();
    expect(await connect(1, addr(200))).toBe(1);
  }, 60_000);

  test("200 spoofed SYNs from an address that never answers count for nothing", async () => {
    const before = (await settledGuard())?.established ?? 0;
    const synsBefore = en.node.metrics("enforcerd")?.kernel?.syn_seen ?? 0;
    const spoofed = "198.51.100.77";
    const r = await en.pair.run("attacker", ["hping3", "-q", "-S", "-a", spoofed, "-p", String(PORT), "-i", "u2000", "-c", "200", en.pair.victim.v4], 30_000);
    expect(r.code === 0 || r.code === 1).toBe(true); // hping3 exits 1 when nothing answered it
    expect((await settledGuard())?.established).toBe(before);
    // The SYNs did arrive (XDP saw them) and the service answered them: only no handshake completed.
    expect((en.node.metrics("enforcerd")?.kernel?.syn_seen ?? 0) - synsBefore).toBeGreaterThanOrEqual(200);
    expect(bannedAt(spoofed)).toBeUndefined();
  }, 60_000);

  test("connections in another network namespace to the same port are not this node's", async () => {
    const before = (await settledGuard())?.established ?? 0;
    host = Bun.listen({ hostname: "127.0.0.1", port: PORT, socket: { open: (s) => void s.end(), data() {} } });
    for (let i = 0; i < MAX_NEW * 2; i++) {
      const s = await Bun.connect({ hostname: "127.0.0.1", port: PORT, socket: { data() {} } });
      s.end();
    }
    expect((await settledGuard())?.established).toBe(before);
  }, 30_000);

  test("a source over the rate is banned BRUTEFORCE with the guard's evidence and dropped in XDP", async () => {
    const attacker = addr(230);
    const from = en.node.lines.length;
    expect(await pingOk(en.pair, "attacker", en.pair.victim.v4)).toBe(true);
    // Stops connecting once dropped: the count is at most what got through before the ban.
    const got = await connect(MAX_NEW * 4, attacker);
    expect(got).toBeGreaterThan(MAX_NEW);
    const ban = await en.node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === attacker, 15_000, "the guard's ban", from);
    expect(Number(ban.d.reasons) & 32).toBe(32); // BRUTEFORCE
    const ev = (ban.d.evidence as { kind: string; ports?: number[]; count?: number; summary: string }[]).find((e) => e.kind === "guard");
    expect(ev?.ports).toEqual([PORT]);
    expect(ev?.count).toBe(MAX_NEW + 1);
    expect(ev?.summary).toContain(`connections to port ${PORT}`);
    expect((await settledGuard())?.reports).toBe(1);
    expect(await connect(1, attacker)).toBe(0);
    // Another source on the same link still reaches the service.
    expect(await connect(1, addr(240))).toBe(1);
  }, 60_000);
});
