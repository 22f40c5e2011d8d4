import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { kernelSkipReason, pingOk } from "../kernel/harness.ts";
import { ROOT, waitFor } from "../support/bus-node.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import { killTree } from "../support/kill-tree.ts";

const need = ["/usr/sbin/sshd", "hydra", "sshpass", "python3", "unshare", "ssh-keygen"];
const skip = kernelSkipReason() ?? need.map((b) => (b.startsWith("/") ? (Bun.file(b).size > 0 ? undefined : b) : Bun.which(b) ? undefined : b)).find(Boolean);

const HYDRA_TASKS = 4;
/**
 * sshd's tries per connection. With hydra waiting a second between a task's connections (-W 1),
 * what can be on the wire when the drop begins is each task's current connection: the bound below.
 */
const MAX_AUTH_TRIES = 2;

/**
 * Debian's real OpenSSH server in the victim namespace, logging through syslog() to a file in
 * rsyslog's format (a private /dev/log in its own mount namespace, test/fixtures/syslog-to-file.py);
 * hydra brute-forces it from the attacker namespace. logd's sshd jail reads the file, scand
 * decides, enforcerd drops the attacker in XDP; a bystander address on the same link still
 * reaches sshd. With the kernel connection guard on port 22 the attacker is dropped on its
 * connection rate, before sshd has logged maxretry failures.
 */
function scenario(MAXRETRY: number, guardMaxNew?: number) {
describe.skipIf(Boolean(skip))(`sshd + hydra → ${guardMaxNew ? `kernel guard (max ${guardMaxNew} new/min) and ` : ""}logd jail (maxretry ${MAXRETRY}) → XDP drop${skip ? ` (skipped: ${skip} missing)` : ""}`, () => {
  let en: EnforcingNode;
  const dir = mkdtempSync(join(tmpdir(), "logd-sshd-"));
  const log = join(dir, "auth.log");
  const procs: Subprocess[] = [];
  let bystander = "";

  beforeAll(async () => {
    en = await startEnforcingNode({ services: ["enforcerd", "scand"], env: (): Record<string, string> => (guardMaxNew ? { HONEYMESH_GUARD_PORTS: "22", HONEYMESH_GUARD_MAX_NEW_PER_MIN: String(guardMaxNew) } : {}) });
    const { pair, node } = en;
    writeFileSync(join(dir, "hm.toml"), `[jails.sshd]\nenabled = true\nfilter = "sshd"\nlogpath = ["${log}"]\nmaxretry = ${MAXRETRY}\nfindtime = "10m"\nbantime = "1h"\n`);
    writeFileSync(log, "");
    Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(dir, "hostkey")]);
    writeFileSync(
      join(dir, "sshd_config"),
      [`Port 22`, `ListenAddress ${pair.victim.v4}`, `HostKey ${join(dir, "hostkey")}`, `PidFile ${join(dir, "sshd.pid")}`, "UsePAM no", "PasswordAuthentication yes", "PermitRootLogin yes", `MaxAuthTries ${MAX_AUTH_TRIES}`, "MaxStartups 100", "LogLevel INFO", ""].join("\n"),
    );
    mkdirSync("/run/sshd", { recursive: true });
    const rx = Bun.spawn(["python3", join(ROOT, "test/fixtures/syslog-to-file.py"), join(dir, "devlog"), log, "victim"], { stdout: "pipe", stderr: "inherit" });
    procs.push(rx);
    await rx.stdout.getReader().read(); // "ready"
    mkdirSync(join(dir, "dev"));
    // sshd's syslog() writes to /dev/log: give it a private /dev whose log is our receiver
    const dev = join(dir, "dev");
    const script = `mount -t tmpfs -o dev,mode=755 tmpfs ${dev} && for n in null zero urandom random; do touch ${dev}/$n; mount --bind /dev/$n ${dev}/$n; done; ln -s ${join(dir, "devlog")} ${dev}/log; mount --bind ${dev} /dev; exec nsenter --net=/run/netns/${pair.victim.ns} /usr/sbin/sshd -D -f ${join(dir, "sshd_config")}`;
    procs.push(Bun.spawn(["unshare", "-m", "--propagation", "private", "sh", "-c", script], { stdout: "ignore", stderr: "inherit" }));
    procs.push(Bun.spawn(pair.argv("victim", [process.execPath, join(ROOT, "services/logd/src/main.ts"), "--config", join(dir, "hm.toml")]), { cwd: ROOT, env: node.env(), stdout: "ignore", stderr: "inherit" }));
    await waitFor(() => node.health("logd") !== undefined, 20_000, "logd up");
    await waitFor(() => readFileSync(log, "utf8").includes("Server listening"), 10_000, "sshd listening");
    // a bystander: a second address on the attacker's link
    const parts = pair.attacker.v4.split(".");
    bystander = `${parts.slice(0, 3).join(".")}.200`;
    await pair.run("attacker", ["ip", "addr", "add", `${bystander}/24`, "dev", pair.attacker.ifname]);
  }, 60_000);

  afterAll(async () => {
    for (const p of procs.reverse()) killTree(p.pid);
    await en?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const reach = async (from?: string) => {
    const r = await en.pair.run(
      "attacker",
      ["ssh", ...(from ? ["-b", from] : []), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=3", "-o", "PreferredAuthentications=publickey", `root@${en.pair.victim.v4}`, "true"],
      10_000,
    );
    return /Permission denied/.test(r.stderr);
  };

  test("hydra is dropped after at most maxretry + in-flight attempts; the bystander keeps reaching sshd", async () => {
    const { pair, node } = en;
    expect(await reach(bystander)).toBe(true);
    writeFileSync(join(dir, "passwords"), `${Array.from({ length: 200 }, (_, i) => `guess${i}`).join("\n")}\n`);
    const t0 = Date.now();
    const hydra = Bun.spawn(pair.argv("attacker", ["hydra", "-l", "root", "-P", join(dir, "passwords"), "-t", String(HYDRA_TASKS), "-W", "1", "-w", "3", "-I", "-q", `ssh://${pair.victim.v4}`]), { stdout: "ignore", stderr: "ignore" });
    procs.push(hydra);
    // The jail bans EXTERNAL; the guard, when on, BRUTEFORCE: whichever comes first.
    const ban = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && (Number(l.d.reasons) & (guardMaxNew ? 32 : 64)) !== 0, 30_000, "the attacker's ban");
    const evidence = ban.d.evidence as { kind: string; jail?: string; ports?: number[] }[];
    if (guardMaxNew) expect(evidence.some((e) => e.kind === "guard" && e.ports?.[0] === 22)).toBe(true);
    else expect(evidence.some((e) => e.kind === "jail" && e.jail === "sshd")).toBe(true);
    const banMs = Date.now() - t0;
    // attempts already on the wire when the drop began still reach sshd's log: let them land
    await Bun.sleep(2000);
    killTree(hydra.pid);
    const failed = readFileSync(log, "utf8").split("\n").filter((l) => l.includes(`Failed password for root from ${pair.attacker.v4} `)).length;
    console.log(`sshd saw ${failed} failed passwords from the attacker before the drop (maxretry ${MAXRETRY}, hydra tasks ${HYDRA_TASKS}); ban after ${banMs} ms`);
    if (guardMaxNew) {
      // Stopped on its connection rate: fewer failures reached sshd than the jail needs.
      expect(failed).toBeLessThan(MAXRETRY);
    } else {
      expect(failed).toBeGreaterThanOrEqual(MAXRETRY);
      expect(failed).toBeLessThanOrEqual(MAXRETRY + HYDRA_TASKS * MAX_AUTH_TRIES);
    }
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
    expect(await reach(bystander)).toBe(true);
    expect(await reach()).toBe(false);
  }, 90_000);
});
}

scenario(3);
scenario(5, 2);
