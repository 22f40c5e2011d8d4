// The .deb under a real systemd (issue 14): debootstrapped Debian (cached), the package installed
// with dpkg, booted with systemd-nspawn, `systemctl enable --now honeymesh.target`, then: every
// service active with 0 restarts after 60 s, enforcerd's uid and exactly its three capabilities,
// XDP on the machine's interface, a CLI ban in the pinned map dropping a ping from the host side
// of the veth, and `systemctl stop` detaching XDP. A unit change that makes any service crash,
// restart or lose a capability fails here. logd follows a log file only group adm may read (its
// unit's SupplementaryGroups=): its jail's source must be healthy in `honeymesh jails`, and failure
// lines appended to it must end in a kernel ban. A second jail follows the journal (journalctl as
// logd's child, inside its sandbox): failures logged by a unit named sshd.service end in a kernel
// ban too. Prints how long each step took.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bpfAvailability } from "@honeymesh/bpf/availability";
import { debianRoot } from "./debian-root.ts";
import { NspawnMachine, sh } from "./nspawn-machine.ts";

const ROOT = resolve(import.meta.dir, "../..");
const SERVICES = ["busd", "trapd", "scand", "enforcerd", "meshd", "apid", "logd"];
/** A log inside the machine that only root and group adm may read (as Debian's auth.log). */
const JAIL_LOG = "/var/log/hm-deploy-auth.log";
const JAIL_ATTACKER = "203.0.113.77";
const JOURNAL_ATTACKER = "203.0.113.78";
// CAP_NET_ADMIN = 12, CAP_PERFMON = 38, CAP_BPF = 39 (linux/capability.h).
const ENFORCER_CAPS = (1n << 12n) | (1n << 38n) | (1n << 39n);
const DIST = `/tmp/hm-deploy-dist-${process.pid}`;

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root";
  const a = bpfAvailability();
  if (!a.ok) return `no BPF: ${a.reason}`;
  for (const tool of ["systemd-nspawn", "debootstrap", "dpkg-deb", "ping", "bpftool"])
    if (!Bun.which(tool)) return `${tool} is not installed (scripts/setup.sh --test)`;
  return undefined;
}
const skip = skipReason();
if (skip) console.warn(`SKIP test/deploy/systemd: ${skip}`);

const t0 = Date.now();
const timings: [string, number][] = [];
let last = t0;
const lap = (step: string) => {
  const now = Date.now();
  timings.push([step, (now - last) / 1000]);
  last = now;
};

describe.skipIf(!!skip)("the .deb under systemd (nspawn)", () => {
  let m: NspawnMachine;
  const net = `10.231.${Math.floor(Math.random() * 250) + 1}`;
  const hostAddr = `${net}.1`;
  const machineAddr = `${net}.2`;
  let enabledAt = 0;

  beforeAll(async () => {
    const lower = debianRoot((l) => console.log(l));
    lap("debian root (cache)");
    const deb = sh(["bash", join(ROOT, "scripts/build-deb.sh"), DIST]).out.trim().split("\n").at(-1)!;
    lap("build .deb");
    m = new NspawnMachine(lower);
    m.prepare();
    sh(["cp", deb, join(m.root, "tmp/honeymesh.deb")]);
    m.chroot(["dpkg", "-i", "/tmp/honeymesh.deb"]);
    // Enforce on the machine's side of the veth; nothing else changes from the shipped conffile.
    const conf = join(m.root, "etc/honeymesh/honeymesh.toml");
    writeFileSync(conf, `${await Bun.file(conf).text()}\n# deployment test\n`);
    sh(["sed", "-i", 's/^\\[enforcer\\]$/[enforcer]\\nmode = "enforce"\\ninterfaces = ["host0"]/', conf]);
    // The connection guard on a port nothing listens on: the unit's capabilities must let
    // enforcerd load and attach its tracing program (status says guard=on).
    sh(["sed", "-i", "s/^ports = \\[\\] .*$/ports = [2222]/", conf]);
    // One jail on a file logd can read only through its supplementary group adm, one on the
    // journal (journalctl as a child, through systemd-journal, inside the unit's sandbox).
    writeFileSync(conf, `${await Bun.file(conf).text()}\n[jails.sshd]\nenabled = true\nfilter = "sshd"\nlogpath = ["${JAIL_LOG}"]\nmaxretry = 3\nfindtime = "10m"\nbantime = "1h"\n[jails.sshd-journal]\nenabled = true\nfilter = "sshd"\nlogpath = ["journal"]\nmaxretry = 3\nfindtime = "10m"\nbantime = "1h"\n`);
    m.chroot(["install", "-m", "0640", "-o", "root", "-g", "adm", "/dev/null", JAIL_LOG]);
    lap("dpkg -i in the root");
    await m.boot();
    lap("boot");
    sh(["ip", "addr", "add", `${hostAddr}/30`, "dev", m.hostIf]);
    sh(["ip", "link", "set", m.hostIf, "up"]);
    m.exec(["ip", "addr", "add", `${machineAddr}/30`, "dev", "host0"]);
    m.exec(["ip", "link", "set", "host0", "up"]);
    m.exec(["systemctl", "enable", "--now", "honeymesh.target"]);
    enabledAt = Date.now();
    lap("systemctl enable --now");
  }, 600_000);

  afterAll(async () => {
    if (m) {
      const failed = SERVICES.map((s) => m.exec(["journalctl", "-u", `honeymesh-${s}`, "--no-pager", "-n", "15", "-o", "cat"], { allowFail: true }).out);
      if (process.env.HM_DEPLOY_DEBUG) console.log(failed.join("\n"));
      await m.dispose();
    }
    rmSync(DIST, { recursive: true, force: true });
    lap("cleanup");
    console.log(`test/deploy/systemd timings: ${timings.map(([s, t]) => `${s} ${t.toFixed(1)}s`).join(", ")}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }, 60_000);

  const show = (unit: string, prop: string) => m.exec(["systemctl", "show", "-P", prop, unit]).out.trim();
  /** Services start asynchronously after systemctl returns (Type=exec): poll, with a bound. */
  async function eventually(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await Bun.sleep(250);
    }
  }

  test("the installed files and users are there", () => {
    for (const s of SERVICES) expect(m.exec(["id", "-gn", `honeymesh-${s}`], { allowFail: true }).code, s).toBe(0);
    expect(m.exec(["stat", "-c", "%a %U:%G", "/var/lib/honeymesh/keys/enforcerd.jwk"]).out.trim()).toBe("600 honeymesh-enforcerd:honeymesh");
    expect(m.exec(["stat", "-c", "%a %U:%G", "/etc/honeymesh/honeymesh.toml"]).out.trim()).toBe("640 root:honeymesh");
    expect(m.exec(["stat", "-c", "%a %U:%G", "/var/lib/honeymesh/keys/logd.jwk"]).out.trim()).toBe("600 honeymesh-logd:honeymesh");
    // logd's built-in filters and migrations, apid's enrichment databases: installed where the compiled executables look.
    for (const f of ["/usr/lib/honeymesh/packages/f2b-filter/filter.d/sshd.conf", "/usr/lib/honeymesh/services/logd/drizzle", "/usr/lib/honeymesh/packages/enrich/databases/asn/asn-ipv4-num.csv", "/usr/lib/honeymesh/packages/enrich/databases/asn/asn-ipv6.csv", "/usr/lib/honeymesh/packages/enrich/databases/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb"]) expect(m.exec(["test", "-e", f], { allowFail: true }).code, f).toBe(0);
  });

  test("logd follows a group-adm log and the journal: both jail sources healthy in honeymesh jails; file and journal failures end in kernel bans", async () => {
    // The account itself is not in adm: the unit's SupplementaryGroups= is what lets it read.
    expect(m.exec(["id", "-Gn", "honeymesh-logd"]).out.trim().split(/\s+/)).not.toContain("adm");
    type Jails = { running: boolean; logd_up: boolean; configured: string[]; jails: { jail: string; source_ok: boolean; source_detail: string; lines: number; failures: number; bans: number }[] };
    let last: Jails | undefined;
    const jails = () => {
      const r = m.exec(["honeymesh", "jails", "-o", "json"], { allowFail: true });
      try {
        last = JSON.parse(r.out) as Jails;
      } catch {
        last = undefined;
      }
      return { code: r.code, view: last };
    };
    try {
      await eventually("logd's jail reported healthy", () => {
        const { code, view } = jails();
        return code === 0 && view?.logd_up === true && view.jails.length === 2 && view.jails.every((j) => j.source_ok);
      }, 45_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}; last: ${JSON.stringify(last)}`);
    }
    expect(last!.configured.sort()).toEqual(["sshd", "sshd-journal"]);
    expect(last!.jails.map((j) => [j.jail, j.source_ok]).sort()).toEqual([["sshd", true], ["sshd-journal", true]]);
    expect(m.exec(["honeymesh", "jails"]).out).toContain("sshd");
    // maxretry = 3 failures from one address, stamped with the machine's clock (findtime counts).
    const script = `for i in 1 2 3 4; do printf '%s victim sshd[%d]: Failed password for root from ${JAIL_ATTACKER} port %d ssh2\\n' "$(date '+%b %e %H:%M:%S')" $((4000 + i)) $((40000 + i)) >> ${JAIL_LOG}; done`;
    m.exec(["sh", "-c", script]);
    // The same through the journal: what the sshd filter's journalmatch (_SYSTEMD_UNIT=sshd.service
    // + _COMM=sshd) selects, from a transient unit named sshd.service (as Debian's OpenSSH logs
    // under systemd). `logger -t sshd` would not do: its _COMM is logger and it has no unit.
    const journalScript = `for i in 1 2 3 4; do echo "Failed password for root from ${JOURNAL_ATTACKER} port $((41000 + i)) ssh2"; done`;
    m.exec(["systemd-run", "--quiet", "--wait", "--unit=sshd", "-p", "SyslogIdentifier=sshd", "sh", "-c", journalScript]);
    const banned = (address: string) => sh(["bpftool", "map", "lookup", "pinned", join(m.bpffs, "honeymesh/hm_ban_v4"), "key", ...address.split(".")], { allowFail: true }).code === 0;
    const diagnose = (e: unknown, address: string) => {
      // Say where the evidence stopped: logd's counts, the node's view of the address, the journals.
      const out = (argv: string[]) => { const r = m.exec(argv, { allowFail: true }); return `$ ${argv.join(" ")}\n${r.out}${r.err}`; };
      const diag = [
        out(["honeymesh", "jails", "-o", "json"]),
        out(["honeymesh", "explain", address]),
        out(["honeymesh", "status"]),
        out(["journalctl", "--no-pager", "-o", "cat", "-n", "40", "-u", "honeymesh-logd", "-u", "honeymesh-scand", "-u", "honeymesh-enforcerd"]),
        out(["journalctl", "--no-pager", "-o", "short", "-n", "10", "_SYSTEMD_UNIT=sshd.service"]),
      ];
      return new Error(`${(e as Error).message}\n${diag.join("\n")}`);
    };
    for (const address of [JAIL_ATTACKER, JOURNAL_ATTACKER]) {
      try {
        await eventually(`${address} in hm_ban_v4`, () => banned(address), 60_000);
      } catch (e) {
        throw diagnose(e, address);
      }
    }
    const jail = (name: string) => jails().view?.jails.find((j) => j.jail === name);
    await eventually("logd counts both bans", () => (jail("sshd")?.bans ?? 0) >= 1 && (jail("sshd-journal")?.bans ?? 0) >= 1, 30_000);
    expect(last!.jails.find((j) => j.jail === "sshd")!.failures).toBeGreaterThanOrEqual(3);
    const journal = last!.jails.find((j) => j.jail === "sshd-journal")!;
    expect(journal.lines).toBeGreaterThanOrEqual(4);
    expect(journal.failures).toBeGreaterThanOrEqual(3);
    lap("jail: healthy, failures to kernel ban");
  }, 180_000);

  test("enforcerd runs as honeymesh-enforcerd with exactly CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON", () => {
    const pid = show("honeymesh-enforcerd.service", "MainPID");
    expect(Number(pid)).toBeGreaterThan(0);
    const status = m.exec(["cat", `/proc/${pid}/status`]).out;
    const uid = m.exec(["id", "-u", "honeymesh-enforcerd"]).out.trim();
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(uid);
    for (const set of ["CapEff", "CapPrm", "CapAmb", "CapBnd"]) expect(BigInt(`0x${new RegExp(`^${set}:\\s+([0-9a-f]+)`, "m").exec(status)![1]}`), set).toBe(ENFORCER_CAPS);
    // And the others have none.
    const apid = show("honeymesh-apid.service", "MainPID");
    expect(/^CapEff:\s+([0-9a-f]+)/m.exec(m.exec(["cat", `/proc/${apid}/status`]).out)?.[1]).toBe("0000000000000000");
  });

  test("XDP is attached to the machine's interface", async () => {
    await eventually("XDP on host0", () => m.exec(["ip", "-d", "link", "show", "host0"]).out.includes("hm_xdp"));
    expect(m.exec(["ip", "-d", "link", "show", "host0"]).out).toContain("name hm_xdp");
  });

  test("a CLI ban lands in the pinned map and drops the host's ping", async () => {
    await eventually("apid's admin token", () => m.exec(["test", "-s", "/var/lib/honeymesh/apid/admin.token"], { allowFail: true }).code === 0);
    expect(sh(["ping", "-c", "1", "-W", "2", machineAddr], { allowFail: true }).code).toBe(0);
    const ban = m.exec(["honeymesh", "ban", hostAddr, "--ttl", "10m", "--reason", "MANUAL"], { allowFail: true });
    expect(ban.code, `${ban.out}${ban.err}`).toBe(0);
    const key = hostAddr.split(".");
    const lookup = sh(["bpftool", "map", "lookup", "pinned", join(m.bpffs, "honeymesh/hm_ban_v4"), "key", ...key], { allowFail: true });
    expect(lookup.code, lookup.err).toBe(0);
    expect(sh(["ping", "-c", "2", "-W", "1", machineAddr], { allowFail: true }).code).not.toBe(0);
  });

  test("honeymesh status asks the node and says it runs under systemd; mode goes through the API", async () => {
    await eventually("status from apid with seven services", () => {
      const r = m.exec(["honeymesh", "status", "-o", "raw"], { allowFail: true });
      try {
        const v = JSON.parse(r.out) as { running: boolean; runner: string; services: unknown[] };
        return v.running && v.runner === "systemd" && v.services.length === 7;
      } catch {
        return false;
      }
    });
    const status = m.exec(["honeymesh", "status"], { allowFail: true }).out;
    expect(status).toContain("supervised by systemd");
    expect(status).toContain("connection guard on: 2222");
    const mode = m.exec(["honeymesh", "mode", "lockdown"], { allowFail: true });
    expect(mode.code, mode.err).toBe(0);
    expect(mode.out).toContain("lockdown");
    expect(m.exec(["honeymesh", "mode", "enforce"]).out).toContain("enforce");
  });

  test("after 60 s every service is active and never restarted", async () => {
    const wait = 60_000 - (Date.now() - enabledAt);
    if (wait > 0) await Bun.sleep(wait);
    lap("wait to 60 s");
    for (const s of SERVICES) {
      const unit = `honeymesh-${s}.service`;
      expect(`${s} ${show(unit, "ActiveState")}`).toBe(`${s} active`);
      expect(`${s} ${show(unit, "NRestarts")}`).toBe(`${s} 0`);
    }
    expect(show("honeymesh.target", "ActiveState")).toBe("active");
  }, 90_000);

  test("systemctl stop stops every service and detaches XDP", async () => {
    m.exec(["systemctl", "stop", "honeymesh.target"]);
    // systemctl waits for the target's job; the services stop after it (reverse After= order).
    const states = () => SERVICES.map((s) => `${s} ${show(`honeymesh-${s}.service`, "ActiveState")}`);
    await eventually("every service inactive", () => states().every((x) => / (inactive|failed)$/.test(x)));
    for (const x of states()) expect(x).toMatch(/ inactive$/);
    expect(m.exec(["ip", "-d", "link", "show", "host0"]).out).not.toContain("hm_xdp");
    lap("stop");
  }, 60_000);

  test("a unit change that breaks a service is caught (the checks above can fail)", async () => {
    // enforcerd without CAP_BPF cannot load XDP; in enforce mode it must exit non-zero, so
    // systemd restarts it and the "0 restarts, active" check above would fail.
    m.exec(["mkdir", "-p", "/run/systemd/system/honeymesh-enforcerd.service.d"]);
    m.exec(["sh", "-c", "printf '[Service]\\nCapabilityBoundingSet=\\nCapabilityBoundingSet=CAP_NET_ADMIN CAP_PERFMON\\nAmbientCapabilities=\\nAmbientCapabilities=CAP_NET_ADMIN CAP_PERFMON\\n' > /run/systemd/system/honeymesh-enforcerd.service.d/broken.conf"]);
    m.exec(["systemctl", "daemon-reload"]);
    m.exec(["systemctl", "start", "honeymesh.target"], { allowFail: true });
    await eventually("enforcerd restarting", () => Number(show("honeymesh-enforcerd.service", "NRestarts")) > 0);
    const log = m.exec(["journalctl", "-u", "honeymesh-enforcerd", "--no-pager", "-o", "cat"]).out;
    expect(log).toContain("cannot enforce, exiting");
    m.exec(["systemctl", "stop", "honeymesh.target"]);
    lap("broken unit");
  }, 60_000);

  test("dpkg -r stops the node, detaches XDP and removes the pins; purge removes the state", async () => {
    m.exec(["rm", "-rf", "/run/systemd/system/honeymesh-enforcerd.service.d"]);
    m.exec(["systemctl", "daemon-reload"]);
    m.exec(["systemctl", "reset-failed"], { allowFail: true });
    m.exec(["systemctl", "start", "honeymesh.target"]);
    await eventually("XDP on host0 again", () => m.exec(["ip", "-d", "link", "show", "host0"]).out.includes("hm_xdp"));
    const removed = m.exec(["dpkg", "-r", "honeymesh"], { allowFail: true });
    expect(removed.code, `${removed.out}${removed.err}`).toBe(0);
    expect(m.exec(["ip", "-d", "link", "show", "host0"]).out).not.toContain("hm_xdp");
    expect(m.exec(["test", "-e", "/sys/fs/bpf/honeymesh"], { allowFail: true }).code).not.toBe(0);
    expect(m.exec(["test", "-d", "/var/lib/honeymesh/keys"], { allowFail: true }).code).toBe(0);
    expect(m.exec(["dpkg", "-P", "honeymesh"], { allowFail: true }).code).toBe(0);
    for (const p of ["/var/lib/honeymesh", "/etc/honeymesh", "/usr/bin/honeymesh"]) expect(m.exec(["test", "-e", p], { allowFail: true }).code, p).not.toBe(0);
    lap("remove + purge");
  }, 60_000);
});
