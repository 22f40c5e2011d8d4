import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startListener } from "../../test/kernel/harness.ts";
import { waitFor } from "../../test/support/bus-node.ts";
import { startEnforcingNode } from "../../test/support/enforcing-node.ts";
import { runAttack, type AttackOptions, type AttackResult } from "./attack.ts";
import { guardToml } from "./guard.ts";
import { killTree } from "../../test/support/kill-tree.ts";
import { PROBE_PORT, type GuardSettings, type JailNumbers } from "./shared.ts";
import { startVictimSshd } from "./victim-sshd.ts";

export interface HoneyMeshResult extends AttackResult {
  /** What the ban on the bus gave as its reason: "jail sshd" when logd's jail did it. */
  banCause: string;
  /**
   * ms from the maxretry-th line to scand's decision and to enforcerd's ban change (bus stamps,
   * whole ms; enforcerd stamps a change when it starts the decision batch, before the SQLite commit
   * and the kernel map write, so the drop comes a few ms later).
   */
  toDecisionMs: number | null;
  toBanMs: number | null;
}

/**
 * One HoneyMesh run on fresh namespaces: busd, enforcerd (native XDP on the victim's veth,
 * enforce mode), scand and logd with the built-in sshd jail reading the victim's auth log; with
 * `guard`, the same node with the kernel connection guard's `[guard]` section in its config.
 */
export async function runHoneyMesh(jail: JailNumbers, attack: AttackOptions, guard?: GuardSettings): Promise<HoneyMeshResult> {
  const dir = mkdtempSync(join(tmpdir(), "hm-bruteforce-hm-"));
  const log = join(dir, "auth.log");
  const toml = join(dir, "honeymesh.toml");
  writeFileSync(
    toml,
    `[jails.sshd]\nenabled = true\nfilter = "sshd"\nlogpath = ["${log}"]\nmaxretry = ${jail.maxretry}\nfindtime = ${jail.findtimeS}\nbantime = ${jail.bantimeS}\n${guard ? `\n${guardToml(guard)}` : ""}`,
  );
  let en: Awaited<ReturnType<typeof startEnforcingNode>>;
  try {
    en = await startEnforcingNode({ tag: "bruteforce", services: ["enforcerd", "scand"], args: () => ["--config", toml], env: () => ({ HONEYMESH_NODE_LOG_LEVEL: "warn" }) });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stops: (() => void)[] = [];
  try {
    const { pair, node } = en;
    const sshd = await startVictimSshd(pair, dir);
    stops.push(sshd.stop);
    const logd = node.spawn("logd", {}, ["--config", toml]);
    stops.push(() => killTree(logd.pid));
    await waitFor(() => node.health("logd") !== undefined, 20_000, "logd up");
    const listener = await startListener(pair, PROBE_PORT);
    stops.push(() => killTree(listener.pid));
    const r = await runAttack(pair, sshd, dir, attack, guard ? "honeymesh-guard" : "honeymesh");
    const ban = node.lines.find((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.change === "added" && l.d.address?.text === pair.attacker.v4);
    const evidence = (ban?.d.evidence ?? []) as { kind: string; jail?: string }[];
    const banCause = !ban ? "no ban" : evidence.map((e) => (e.kind === "jail" ? `jail ${e.jail}` : e.kind)).join("+") || `reasons ${String(ban.d.reasons)}`;
    const decision = node.lines.find((l) => l.topic === "hm/v1/scand/decision" && l.d.action === "ban" && l.d.address?.text === pair.attacker.v4);
    const since = (l: typeof ban) => (l && r.maxretryLineNs !== null ? Number(l.d.at) - r.maxretryLineNs / 1e6 : null);
    return { ...r, banCause, toDecisionMs: since(decision), toBanMs: since(ban) };
  } finally {
    for (const s of stops.reverse()) s();
    await en.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
