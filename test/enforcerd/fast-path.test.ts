/**
 * The kernel fast path end to end (issue 17): a real nmap -sS against a node running enforcerd.
 * The XDP program bans the scanner at the threshold; enforcerd records that ban in its store
 * (the single writer) from the ring-buffer event; a restart keeps it; a kernel-made ban whose
 * event enforcerd never saw is adopted at start, not deleted.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { openStore } from "../../packages/db/src/open.ts";
import { BanStore } from "../../services/enforcerd/src/store/ban-store.ts";
import * as schema from "@honeymesh/tables/enforcerd";
import { REASONS } from "@honeymesh/ban/reasons";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { BAN_F_KERNEL } from "../../services/enforcerd/src/kernel/layout.ts";
import { FAST_PATH_EVIDENCE } from "../../services/enforcerd/src/kernel-ban-recorder.ts";
import { kernelSkipReason, OBJECT, pingOk } from "../kernel/harness.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import { ROOT, waitFor } from "../support/bus-node.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`enforcerd fast-path e2e skipped: ${skip}`);
const TTL_S = 300;
const RESOLVER = "192.0.2.53";
const RESOLV = join(mkdtempSync(join(tmpdir(), "hm-fastpath-")), "resolv.conf");
writeFileSync(RESOLV, `nameserver ${RESOLVER}\n`);

describe.skipIf(Boolean(skip))("enforcerd: kernel fast-path bans are recorded, kept and adopted", () => {
  let en: EnforcingNode;
  const openBans = () => new BanStore(openStore({ path: join(en.node.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") }));
  const kernel = <T>(f: (k: KernelEnforcer) => T): T => {
    const k = KernelEnforcer.open({ objectPath: OBJECT, pinRoot: en.pinRoot });
    if (!k.ok) throw new Error(k.reason);
    try {
      return f(k.value);
    } finally {
      k.value.close();
    }
  };
  const nmap = async (target: string, v6 = false) => {
    const r = await en.pair.run("attacker", ["nmap", ...(v6 ? ["-6"] : []), "-n", "-Pn", "-sS", "-T5", "--max-retries", "1", "-p", "1-40", target], 60_000);
    expect(r.code).toBe(0);
  };
  const restart = async () => {
    const p = en.node.proc("enforcerd")!;
    p.kill("SIGKILL");
    await p.exited;
    const from = en.node.lines.length;
    en.node.spawn("enforcerd");
    await en.node.waitLine((l) => l.topic === "hm/v1/enforcerd/health" && (l.d as { enforcement?: { kernel?: string } }).enforcement?.kernel === "active", 20_000, "enforcerd back", from);
  };

  beforeAll(async () => {
    en = await startEnforcingNode({
      services: ["enforcerd"],
      env: () => ({ HONEYMESH_ENFORCER_FAST_PATH: "true", HONEYMESH_SCAN_PORTS_THRESHOLD: "10", HONEYMESH_SCAN_WINDOW_S: "60", HONEYMESH_SCAN_UNVERIFIED_TTL_S: String(TTL_S), HONEYMESH_NODE_RESOLV_CONF: RESOLV }),
    });
  });

  test("enforcerd mirrors its protected set (here the node's resolver) into the kernel's, which the fast path checks", async () => {
    await waitFor(() => kernel((k) => k.protectList().includes(RESOLVER)), 5_000, "resolver in hm_protect_v4");
  });
  afterAll(async () => {
    await en?.stop();
  });

  test("nmap -sS: the kernel bans at the threshold and the ban appears in the store (SCAN, source kernel, this node)", async () => {
    const { pair, node } = en;
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    const from = node.lines.length;
    const t0 = Date.now();
    await nmap(pair.victim.v4);
    const added = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4, 5_000, "fast-path ban recorded", from);
    expect(added.d).toMatchObject({ change: "added", reasons: REASONS.SCAN, confidence: "unverified" });
    const row = openBans().get(pair.attacker.v4)!;
    expect(row).toMatchObject({ reasons: REASONS.SCAN, source: "kernel", origin: added.d.origin });
    expect(row.origin.length).toBeGreaterThan(0);
    expect(row.evidence[0]!.summary).toContain(FAST_PATH_EVIDENCE);
    expect(row.expiresAt).toBeGreaterThan(t0 + (TTL_S - 5) * 1000);
    expect(row.expiresAt).toBeLessThanOrEqual(Date.now() + TTL_S * 1000 + 1000);
    // Recorded: enforcerd rewrote the entry from its store, which clears the kernel-made flag.
    expect(kernel((k) => k.listBans().find((b) => b.address === pair.attacker.v4))).toMatchObject({ reasons: REASONS.SCAN, flags: 0 });
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
  });

  test("a restart of enforcerd keeps the ban in the store and the kernel", async () => {
    const { pair } = en;
    await restart();
    expect(openBans().get(pair.attacker.v4)).toMatchObject({ reasons: REASONS.SCAN, source: "kernel" });
    expect(kernel((k) => k.listBans().some((b) => b.address === pair.attacker.v4))).toBe(true);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
  });

  test("a kernel-made ban enforcerd never heard of (it was down, the event lost) is adopted at start", async () => {
    const { pair, node } = en;
    const p = node.proc("enforcerd")!;
    p.kill("SIGKILL");
    await p.exited;
    // With enforcerd down the attached program still runs and still fast-bans.
    await nmap(pair.victim.v6, true);
    const lost = kernel((k) => {
      let n = 0;
      k.pollScanEvents((e) => void (e.src === pair.attacker.v6 && e.kernelBanned && n++));
      return { events: n, entry: k.listBans().find((b) => b.address === pair.attacker.v6) };
    });
    expect(lost.events).toBe(1); // consumed here: the restarted enforcerd cannot see it
    expect(lost.entry).toMatchObject({ reasons: REASONS.SCAN, flags: BAN_F_KERNEL });
    expect(openBans().get(pair.attacker.v6)).toBeUndefined();
    const from = node.lines.length;
    node.spawn("enforcerd");
    await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v6 && l.d.change === "added", 40_000, "adopted", from);
    expect(openBans().get(pair.attacker.v6)).toMatchObject({ reasons: REASONS.SCAN, source: "kernel" });
    const entry = kernel((k) => k.listBans().find((b) => b.address === pair.attacker.v6));
    expect(entry).toMatchObject({ reasons: REASONS.SCAN, flags: 0 });
    // The adopted ban keeps the kernel's expiry, not a fresh TTL.
    expect(Math.abs(entry!.expiresAtMs - lost.entry!.expiresAtMs)).toBeLessThan(2_000);
    await waitFor(() => node.health("enforcerd")?.enforcement?.kernel === "active", 5_000, "enforcerd healthy");
  }, 90_000);
});

// [scan] syn_only = ban: scand's decisions on SYN-only evidence are full, escalating bans, so its
// decision after the kernel's short one must still happen (it is not skipped as already banned).
describe.skipIf(Boolean(skip))("enforcerd + scand (syn_only = ban): the kernel bans first, scand's own decision still follows", () => {
  let en: EnforcingNode;
  beforeAll(async () => {
    en = await startEnforcingNode({
      services: ["enforcerd", "scand"],
      env: () => ({ HONEYMESH_ENFORCER_FAST_PATH: "true", HONEYMESH_SCAN_PORTS_THRESHOLD: "10", HONEYMESH_SCAN_SYN_ONLY: "ban", HONEYMESH_SCAN_UNVERIFIED_TTL_S: String(TTL_S), HONEYMESH_BANS_DEFAULT_TTL_S: "3600" }),
    });
  });
  afterAll(async () => {
    await en?.stop();
  });

  test("nmap -sS: a kernel-made ban, then scand's decision (it hears the observation before the ban) extends it to scand's TTL", async () => {
    const { pair, node } = en;
    const from = node.lines.length;
    const r = await pair.run("attacker", ["nmap", "-n", "-Pn", "-sS", "-T5", "--max-retries", "1", "-p", "1-40", pair.victim.v4], 60_000);
    expect(r.code).toBe(0);
    const isBan = (change: string) => (l: { topic: string; d: Record<string, any> }) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === change;
    const added = await node.waitLine(isBan("added"), 5_000, "kernel ban recorded", from);
    expect(Number(added.d.expires_at) - Number(added.d.at)).toBeLessThanOrEqual(TTL_S * 1000 + 1000);
    const decided = await node.waitLine((l) => l.topic === "hm/v1/scand/decision" && l.d.address?.text === pair.attacker.v4, 5_000, "scand decision", from);
    expect(decided.d.offence).toBe(1);
    const extended = await node.waitLine(isBan("extended"), 5_000, "extended by scand", from);
    expect(Number(extended.d.expires_at) - Number(extended.d.at)).toBeGreaterThan(3000 * 1000);
  });
});
