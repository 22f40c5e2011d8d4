import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * Fail2Ban as Debian ships it, side by side: an sshd-style jail reading a log file, banning
 * through the nftables action, run in its own network namespace so its rules touch nothing else.
 * Measures the time from the log line that reaches maxretry to the address being in the nft set.
 */
export async function measureFail2ban(addresses: number, maxretry = 3): Promise<number[]> {
  const ns = `hmt-f2b-${randomBytes(2).toString("hex")}`;
  const dir = mkdtempSync(join(tmpdir(), "hm-f2b-"));
  const run = (argv: string[]) => Bun.spawnSync(["nsenter", `--net=/run/netns/${ns}`, "--", ...argv], { stdout: "pipe", stderr: "pipe" });
  Bun.spawnSync(["ip", "netns", "add", ns]);
  let server: ReturnType<typeof Bun.spawn> | undefined;
  try {
    cpSync("/etc/fail2ban", join(dir, "etc"), { recursive: true });
    rmSync(join(dir, "etc", "jail.d"), { recursive: true, force: true });
    const log = join(dir, "auth.log");
    writeFileSync(log, "");
    writeFileSync(join(dir, "etc", "fail2ban.local"), `[Definition]\nloglevel = WARNING\nlogtarget = ${join(dir, "f2b.log")}\nsocket = ${join(dir, "f2b.sock")}\npidfile = ${join(dir, "f2b.pid")}\ndbfile = :memory:\n`);
    writeFileSync(
      join(dir, "etc", "jail.local"),
      `[DEFAULT]\nbanaction = nftables[type=allports]\nbackend = pyinotify\n\n[bench]\nenabled = true\nfilter = sshd\nlogpath = ${log}\nmaxretry = ${maxretry}\nfindtime = 600\nbantime = 600\n`,
    );
    server = Bun.spawn(["nsenter", `--net=/run/netns/${ns}`, "--", "fail2ban-server", "-f", "-x", "-c", join(dir, "etc")], { stdout: "ignore", stderr: "ignore" });
    await Bun.sleep(3_000); // jail start-up (reads the filter, sets up inotify)
    const syslogTime = () => {
      const d = new Date();
      const mon = d.toLocaleString("en-US", { month: "short" });
      return `${mon} ${String(d.getDate()).padStart(2, " ")} ${d.toTimeString().slice(0, 8)}`;
    };
    const inSet = (ip: string) => run(["nft", "list", "set", "inet", "f2b-table", "addr-set-bench"]).stdout.toString().includes(ip);
    const out: number[] = [];
    for (let i = 0; i < addresses; i++) {
      const ip = `198.18.${1 + (i >> 8)}.${1 + (i & 255)}`;
      let t0 = 0;
      for (let k = 0; k < maxretry; k++) {
        appendFileSync(log, `${syslogTime()} bench sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + k} ssh2\n`);
        t0 = performance.timeOrigin + performance.now();
      }
      const deadline = Date.now() + 10_000;
      while (!inSet(ip) && Date.now() < deadline) await Bun.sleep(2);
      if (Date.now() < deadline) out.push(performance.timeOrigin + performance.now() - t0);
    }
    return out;
  } finally {
    server?.kill("SIGTERM");
    await Promise.race([server?.exited, Bun.sleep(3_000)]);
    if (server && server.exitCode === null) server.kill("SIGKILL");
    Bun.spawnSync(["ip", "netns", "del", ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}
