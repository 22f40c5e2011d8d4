import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { startListener } from "../../test/kernel/harness.ts";
import { createNetnsPair } from "../../test/support/netns.ts";
import { runAttack, type AttackOptions, type AttackResult } from "./attack.ts";
import { killTree } from "../../test/support/kill-tree.ts";
import { PROBE_PORT, type JailNumbers } from "./shared.ts";
import { startVictimSshd } from "./victim-sshd.ts";

export type F2bBackend = "pyinotify" | "polling";

/**
 * One Fail2Ban run on fresh namespaces: Debian's fail2ban-server (1.0.2) inside the victim
 * namespace with its own config copy, socket, pid file and an in-memory database in a temp dir
 * (never the system's /run/fail2ban), a jail `sshd` on the same auth log with the same numbers,
 * banning through `nftables-allports` — whose table lives in the victim namespace only. Its table,
 * chain and set are made at jail start (actionstart_on_demand = false) rather than at the first
 * ban as Debian's default would: Fail2Ban at its best, the first ban costs one `nft add element`.
 */
export async function runFail2ban(jail: JailNumbers, attack: AttackOptions, backend: F2bBackend): Promise<AttackResult> {
  const pair = createNetnsPair("bruteforce");
  const dir = mkdtempSync(join(tmpdir(), "hm-bruteforce-f2b-"));
  const procs: Subprocess[] = [];
  const stops: (() => void)[] = [];
  try {
    const sshd = await startVictimSshd(pair, dir);
    stops.push(sshd.stop);
    const etc = join(dir, "etc");
    cpSync("/etc/fail2ban", etc, { recursive: true });
    // Debian's jail.d turns on its own sshd jail on the journal: not this one
    rmSync(join(etc, "jail.d"), { recursive: true, force: true });
    const sock = join(dir, "f2b.sock");
    writeFileSync(join(etc, "fail2ban.local"), `[Definition]\nloglevel = INFO\nlogtarget = ${join(dir, "f2b.log")}\nsocket = ${sock}\npidfile = ${join(dir, "f2b.pid")}\ndbfile = :memory:\nallowipv6 = auto\n`);
    writeFileSync(
      join(etc, "jail.local"),
      `[DEFAULT]\nbanaction = nftables-allports[actionstart_on_demand=false]\nbanaction_allports = nftables-allports[actionstart_on_demand=false]\n\n[sshd]\nenabled = true\nfilter = sshd\nmode = normal\nbackend = ${backend}\nlogpath = ${sshd.log}\nmaxretry = ${jail.maxretry}\nfindtime = ${jail.findtimeS}\nbantime = ${jail.bantimeS}\n`,
    );
    const server = Bun.spawn(pair.argv("victim", ["fail2ban-server", "-f", "-x", "-c", etc]), { stdout: "ignore", stderr: "inherit" });
    procs.push(server);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const st = existsSync(sock) ? Bun.spawnSync(["fail2ban-client", "-c", etc, "status", "sshd"], { stdout: "pipe", stderr: "pipe" }) : undefined;
      if (st?.exitCode === 0) break;
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`fail2ban-server did not start its sshd jail: ${st?.stderr.toString() ?? "no socket"}`);
      await Bun.sleep(100);
    }
    const listener = await startListener(pair, PROBE_PORT);
    stops.push(() => killTree(listener.pid));
    return await runAttack(pair, sshd, dir, attack, "fail2ban");
  } finally {
    for (const s of stops.reverse()) s();
    for (const p of procs) {
      p.kill("SIGTERM");
      await Promise.race([p.exited, Bun.sleep(3_000)]);
      if (p.exitCode === null) killTree(p.pid);
    }
    pair.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
