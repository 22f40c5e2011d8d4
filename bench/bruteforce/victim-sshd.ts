import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { NetnsPair } from "../../test/support/netns.ts";
import { waitFor } from "../../test/support/bus-node.ts";
import { killTree } from "../../test/support/kill-tree.ts";

/** sshd's tries per connection, as in test/logd/sshd-hydra.test.ts. */
export const MAX_AUTH_TRIES = 2;

export interface VictimSshd {
  /** The auth log both contenders read (rsyslog's traditional format). */
  log: string;
  /** "<unix ns>\t<line>" per log line, stamped right after the line was written. */
  stamps: string;
  stop(): void;
}

/**
 * Debian's real OpenSSH server in the victim namespace, logging through syslog() into `dir`/auth.log
 * via a private /dev/log (its own mount namespace) and test/fixtures/syslog-to-file.py (with its stamps file). The same
 * for every contender, so they read the same lines at the same pace.
 */
export async function startVictimSshd(pair: NetnsPair, dir: string): Promise<VictimSshd> {
  const log = join(dir, "auth.log");
  const stamps = join(dir, "stamps.tsv");
  writeFileSync(log, "");
  writeFileSync(stamps, "");
  const procs: Subprocess[] = [];
  const stop = () => {
    for (const p of procs.reverse()) killTree(p.pid);
  };
  try {
    Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(dir, "hostkey")]);
    writeFileSync(
      join(dir, "sshd_config"),
      [`Port 22`, `ListenAddress ${pair.victim.v4}`, `HostKey ${join(dir, "hostkey")}`, `PidFile ${join(dir, "sshd.pid")}`, "UsePAM no", "PasswordAuthentication yes", "PermitRootLogin yes", `MaxAuthTries ${MAX_AUTH_TRIES}`, "MaxStartups 100", "LogLevel INFO", ""].join("\n"),
    );
    mkdirSync("/run/sshd", { recursive: true });
    const rx = Bun.spawn(["/usr/bin/python3", join(import.meta.dir, "../../test/fixtures/syslog-to-file.py"), join(dir, "devlog"), log, "victim", stamps], { stdout: "pipe", stderr: "inherit" });
    procs.push(rx);
    await rx.stdout.getReader().read(); // "ready"
    const dev = join(dir, "dev");
    mkdirSync(dev);
    // sshd's syslog() writes to /dev/log: give it a private /dev whose log is the receiver
    const script = `mount -t tmpfs -o dev,mode=755 tmpfs ${dev} && for n in null zero urandom random; do touch ${dev}/$n; mount --bind /dev/$n ${dev}/$n; done; ln -s ${join(dir, "devlog")} ${dev}/log; mount --bind ${dev} /dev; exec nsenter --net=/run/netns/${pair.victim.ns} /usr/sbin/sshd -D -f ${join(dir, "sshd_config")}`;
    procs.push(Bun.spawn(["unshare", "-m", "--propagation", "private", "sh", "-c", script], { stdout: "ignore", stderr: "inherit" }));
    await waitFor(() => readFileSync(log, "utf8").includes("Server listening"), 10_000, "sshd listening");
  } catch (e) {
    stop();
    throw e;
  }
  return { log, stamps, stop };
}
