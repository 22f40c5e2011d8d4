import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { openStore } from "../../packages/db/src/open.ts";
import type { Decision } from "../../packages/schema/src/decision.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import * as schema from "@honeymesh/tables/enforcerd";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { kernelSkipReason, OBJECT, pingOk, reach, startListener } from "../kernel/harness.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import { ROOT, waitFor } from "../support/bus-node.ts";
import type { NetnsPair } from "../support/netns.ts";
import { NsNode } from "../support/ns-node.ts";
import { newWriteId } from "@honeymesh/schema/decision";

const skip = kernelSkipReason();
if (skip) console.warn(`enforcerd e2e skipped: ${skip}`);
const PORT = 8443;

const decision = (value: string, over: Partial<Decision> = {}): Decision => ({
  id: newWriteId("test"), action: "ban", address: { kind: value.includes("/") ? "cidr" : "ip", text: value }, reasons: 8, ttl_s: 600, origin: "test", source: "apid", evidence: [{ kind: "manual", summary: "e2e" }], offence: 1, at: Date.now(), ...over,
});

describe.skipIf(Boolean(skip))("enforcerd end to end: bus decision → SQLite → XDP → packets", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let node: NsNode;
  let listener: Subprocess;
  const openBans = () => new BanStore(openStore({ path: join(node.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") }));

  let en: EnforcingNode;

  beforeAll(async () => {
    en = await startEnforcingNode({ services: ["enforcerd"], env: () => ({ HONEYMESH_ENFORCER_REAP_INTERVAL_S: "0.2", HONEYMESH_SCAN_WINDOW_S: "30" }) });
    ({ pair, pinRoot, node } = en);
    listener = await startListener(pair, PORT);
  });
  afterAll(async () => {
    listener?.kill("SIGKILL");
    await en?.stop();
  });

  test("a ban decision drops TCP and ICMP from the attacker; the unban restores them", async () => {
    expect(await reach(pair, PORT)).toEqual({ tcp4: true, icmp4: true, tcp6: true, icmp6: true });
    const from = node.lines.length;
    node.publish("apid", "decision", decision(pair.attacker.v4));
    node.publish("apid", "decision", decision(pair.attacker.v6));
    const added = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4, 5_000, "ban added", from);
    expect(added.d.change).toBe("added");
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v6, 5_000, "v6 ban added", from);
    expect(await reach(pair, PORT)).toEqual({ tcp4: false, icmp4: false, tcp6: false, icmp6: false });

    node.publish("apid", "decision", decision(pair.attacker.v4, { action: "unban", at: Date.now() }));
    node.publish("apid", "decision", decision(pair.attacker.v6, { action: "unban", at: Date.now() }));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.change === "removed" && l.d.address?.text === pair.attacker.v6, 5_000, "unban", from);
    expect(await reach(pair, PORT)).toEqual({ tcp4: true, icmp4: true, tcp6: true, icmp6: true });
  });

  test("a ban older than its unban's tombstone cannot resurrect it", async () => {
    const from = node.lines.length;
    node.publish("apid", "decision", decision(pair.attacker.v4, { at: Date.now() - 60_000 }));
    node.publish("apid", "decision", decision("192.0.2.200"));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === "192.0.2.200", 5_000, "marker ban", from);
    expect(node.lines.slice(from).some((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4)).toBe(false);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
  });

  test("malformed decisions are refused with a counted reason, and nothing is banned", async () => {
    const rejected = () => node.metrics("enforcerd")?.decisions.rejected;
    const before = (k: keyof NonNullable<ReturnType<typeof rejected>>) => rejected()?.[k] ?? 0;
    const base = { bad_address: before("bad_address"), unknown_reason_bits: before("unknown_reason_bits"), ttl_too_long: before("ttl_too_long"), kind_mismatch: before("kind_mismatch"), allowlisted: before("allowlisted") };
    const from = node.lines.length;
    node.publish("apid", "decision", decision("300.1.2.3"));
    node.publish("apid", "decision", decision("0.0.0.0/0"));
    node.publish("apid", "decision", decision(pair.attacker.v4, { ttl_s: 4_000_000_000 }));
    node.publish("apid", "decision", decision(pair.attacker.v4, { reasons: 1024 }));
    node.publish("apid", "decision", decision("10.0.0.0/8", { address: { kind: "ip", text: "10.0.0.0/8" } }));
    node.publish("apid", "decision", decision("127.0.0.1"));
    node.publish("apid", "decision", decision(pair.victim.v4));
    await waitFor(() => {
      const r = rejected();
      return (r?.bad_address ?? 0) >= base.bad_address + 2 && (r?.allowlisted ?? 0) >= base.allowlisted + 2;
    }, 5_000, "refusals counted");
    const h = rejected()!;
    expect(h.ttl_too_long).toBe(base.ttl_too_long + 1);
    expect(h.unknown_reason_bits).toBe(base.unknown_reason_bits + 1);
    expect(h.kind_mismatch).toBe(base.kind_mismatch + 1);
    expect(node.lines.slice(from).filter((l) => l.topic === "hm/v1/enforcerd/ban")).toEqual([]);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
  });

  test("operator controls: mode switch without reload, allowlist add/remove, protected entries stay", async () => {
    const from = node.lines.length;
    node.publish("apid", "decision", decision(pair.attacker.v4, { at: Date.now() }));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === "added", 5_000, "ban", from);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);

    node.publish("apid", "mode", { id: newWriteId("test"), mode: "test", at: Date.now() });
    await waitFor(() => node.health("enforcerd")?.enforcement?.mode === "test", 5_000, "test mode");
    const wouldBefore = node.metrics("enforcerd")?.kernel?.would_drop ?? 0;
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    await waitFor(() => (node.metrics("enforcerd")?.kernel?.would_drop ?? 0) > wouldBefore, 5_000, "would-drop counted");
    node.publish("apid", "mode", { id: newWriteId("test"), mode: "enforce", at: Date.now() });
    await waitFor(() => node.health("enforcerd")?.enforcement?.mode === "enforce", 5_000, "enforce mode");
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);

    // Allowlisting the banned address ends its ban (a local removal), in the store and the kernel.
    const allowFrom = node.lines.length;
    node.publish("apid", "allow", { id: newWriteId("test"), action: "add", address: { kind: "ip", text: pair.attacker.v4 }, note: "test", at: Date.now() });
    await waitFor(() => node.metrics("enforcerd")?.allowlist_entries === 1, 5_000, "allow entry stored");
    const ended = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === "removed", 5_000, "ban ended by the allowlist", allowFrom);
    expect(ended.d.scope).toBe("local");
    const result = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/result" && (l.d.results as { write: string }[]).some((r) => r.write === "allow"), 5_000, "allow result", allowFrom);
    expect((result.d.results as unknown[])[0]).toMatchObject({ write: "allow", outcome: "added", ended: [{ kind: "ip", text: pair.attacker.v4 }], ended_total: 1 });
    expect(openBans().get(pair.attacker.v4)).toBeUndefined();
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    node.publish("apid", "allow", { id: newWriteId("test"), action: "remove", address: { kind: "cidr", text: "127.0.0.0/8" }, note: "", at: Date.now() });
    node.publish("apid", "allow", { id: newWriteId("test"), action: "remove", address: { kind: "ip", text: pair.attacker.v4 }, note: "", at: Date.now() });
    await waitFor(() => node.metrics("enforcerd")?.allowlist_entries === 0 && node.metrics("enforcerd")?.control_rejected.allow_protected === 1, 5_000, "allow removed, loopback protected");
    // The ended ban stays ended; a new decision bans again.
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    node.publish("apid", "decision", decision(pair.attacker.v4, { at: Date.now() }));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === "added", 5_000, "banned again", allowFrom);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
    node.publish("apid", "decision", decision(pair.attacker.v4, { action: "unban", at: Date.now() }));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === "removed", 5_000, "unban", from);
  });

  test("a CIDR ban drops the attacker; a 2 s ban stops dropping within 1 s of expiry and leaves the store", async () => {
    const cidr = `${pair.attacker.v4.split(".").slice(0, 3).join(".")}.0/24`;
    const from = node.lines.length;
    node.publish("apid", "decision", decision(cidr, { ttl_s: 2 }));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === cidr, 5_000, "cidr ban", from);
    const t0 = Date.now();
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
    const expiredMsg = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === cidr && l.d.change === "expired", 5_000, "expired", from);
    const expiresAt = Number(expiredMsg.d.expires_at);
    expect(Date.now() - expiresAt).toBeLessThan(1_000 + 500);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(4_000);
    const store = openBans();
    expect(store.get(cidr)).toBeUndefined();
  });

  test("kill -9 of enforcerd keeps dropping; the restart reuses pins and loads 100 000 bans written meanwhile", async () => {
    node.publish("apid", "decision", decision(pair.attacker.v4, { at: Date.now() }));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === "added", 5_000, "attacker banned");
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
    const enforcerd = node.proc("enforcerd")!;
    enforcerd.kill("SIGKILL");
    await enforcerd.exited;
    // Ping through the whole outage: not one reply may get through.
    const pinger = Bun.spawn(pair.argv("attacker", ["/usr/bin/python3", join(ROOT, "test/kernel/fixtures/icmp-ping.py"), pair.victim.v4, "10", "0.2"]), { stdout: "pipe" });
    const store = openBans();
    const now = Date.now();
    const rows: BanRow[] = Array.from({ length: 100_000 }, (_, i) => ({
      address: `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, kind: "ip", reasons: 2, expiresAt: now + 3_600_000, createdAt: now, updatedAt: now, origin: "test", source: "scand", offence: 1, evidence: [], confidence: "verified",
    }));
    store.putMany(rows);
    const out = await new Response(pinger.stdout).text();
    await pinger.exited;
    expect(out).toContain("received 0");

    node.spawn("enforcerd");
    await waitFor(() => (node.metrics("enforcerd")?.active_bans ?? 0) >= 100_001 && node.health("enforcerd")?.enforcement?.kernel === "active", 20_000, "restarted enforcerd with all bans");
    const k = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
    if (!k.ok) throw new Error(k.reason);
    try {
      const inKernel = new Set(k.value.listBans().map((b) => b.address));
      expect(inKernel.has(pair.attacker.v4)).toBe(true);
      expect(rows.every((r) => inKernel.has(r.address))).toBe(true);
    } finally {
      k.value.close();
    }
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
    const unbanFrom = node.lines.length;
    node.publish("apid", "decision", decision(pair.attacker.v4, { action: "unban", at: Date.now() }));
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === "removed", 5_000, "unban", unbanFrom);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
  }, 60_000);

  test("a vertical SYN scan gives exactly one syn observation per source and window", async () => {
    const from = node.lines.length;
    const scan = await pair.run("attacker", ["nmap", "-sS", "-Pn", "-n", "-T4", "--max-retries", "0", "-p", "1-200", pair.victim.v4], 60_000);
    expect(scan.code).toBe(0);
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/syn" && l.d.src === pair.attacker.v4, 5_000, "syn observation", from);
    // A second scan inside the same window must not produce another observation.
    await pair.run("attacker", ["nmap", "-sS", "-Pn", "-n", "-T4", "--max-retries", "0", "-p", "201-300", pair.victim.v4], 60_000);
    await Bun.sleep(500);
    const obs = node.lines.slice(from).filter((l) => l.topic === "hm/v1/enforcerd/syn" && l.d.src === pair.attacker.v4);
    expect(obs).toHaveLength(1);
    expect(Number(obs[0]!.d.port_count)).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
