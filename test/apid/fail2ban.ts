import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/bus-node.ts";

/**
 * A private Fail2Ban configuration: Debian's /etc/fail2ban copied (its sshd filter), no Debian
 * jail defaults, our action, one sshd jail on `log`, an in-memory database, its own socket.
 */
export function fail2banConfig(dir: string): { dir: string; log: string; sock: string; args: (a: string[]) => string[] } {
  if (!existsSync("/usr/bin/fail2ban-client")) throw new Error("fail2ban is missing: apt-get install -y fail2ban");
  cpSync("/etc/fail2ban", dir, { recursive: true });
  rmSync(join(dir, "jail.d"), { recursive: true, force: true });
  mkdirSync(join(dir, "jail.d"));
  cpSync(join(ROOT, "deploy/fail2ban/action.d/honeymesh.conf"), join(dir, "action.d/honeymesh.conf"));
  const log = join(dir, "auth.log");
  writeFileSync(log, "");
  const sock = join(dir, "f2b.sock");
  writeFileSync(join(dir, "fail2ban.local"), `[Definition]\nloglevel = INFO\nlogtarget = ${join(dir, "fail2ban.log")}\nsocket = ${sock}\npidfile = ${join(dir, "f2b.pid")}\ndbfile = :memory:\n`);
  writeFileSync(
    join(dir, "jail.local"),
    `[sshd]\nenabled = true\nfilter = sshd\nbackend = polling\nlogpath = ${log}\nmaxretry = 2\nfindtime = 600\nbantime = 900\naction = honeymesh[honeymesh="${process.execPath} ${join(ROOT, "cli/src/main.ts")}"]\n`,
  );
  return { dir, log, sock, args: (a) => ["fail2ban-client", "-c", dir, "-s", sock, ...a] };
}

/** An sshd syslog line for a failed password, as Fail2Ban's sshd filter expects it. */
export function sshdFailure(ip: string, pid: number): string {
  const d = new Date();
  const mon = d.toLocaleString("en-US", { month: "short" });
  const pad = (x: number) => String(x).padStart(2, "0");
  return `${mon} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} honeypot sshd[${pid}]: Failed password for root from ${ip} port ${40000 + pid} ssh2\n`;
}
