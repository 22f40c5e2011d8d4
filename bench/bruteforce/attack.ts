import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import type { NetnsPair } from "../../test/support/netns.ts";
import { killTree } from "../../test/support/kill-tree.ts";
import type { VictimSshd } from "./victim-sshd.ts";

export interface AttackOptions {
  maxretry: number;
  hydraTasks: number;
  passwords: number;
  /** A plain TCP listener on the victim (not sshd) that the drop probe connects to. */
  probePort: number;
  /** How long to wait for the drop after hydra starts. */
  limitS: number;
  /** Copy each run's stamped log here (`<label>-<pair id>.tsv`), for a look at what sshd wrote. */
  keepDir?: string;
}

export interface AttackResult {
  /** "Failed password" lines sshd logged for the attacker's address, all told. */
  failedPasswords: number;
  /** Failures the sshd filter (Fail2Ban's, as both contenders use) counts for the attacker. */
  filterFailures: number;
  /** whether the attacker's probes were dropped within the limit at all. */
  dropped: boolean;
  /**
   * ms from the maxretry-th failure line being written to the first dropped probe; null when there
   * was no drop or no maxretry-th line (something dropped the attacker before the jail could fire);
   * negative when the drop came first.
   */
  dropMs: number | null;
  /** unix ns when the maxretry-th failure line was in the log; null = never reached. */
  maxretryLineNs: number | null;
  /** ms from hydra's start to the first dropped probe; null = no drop. For a drop that needs no log line (the guard). */
  sinceStartMs: number | null;
  /** ms between the last probe that got through and the first dropped one (the measure's resolution). */
  resolutionMs: number | null;
  /** a second address on the attacker's link still gets sshd's banner after the drop. */
  bystanderOk: boolean;
  /** the attacker's own address no longer gets sshd's banner (sanity of the drop). */
  attackerBlocked: boolean;
}

interface ProbeLine {
  drop_ns: number | null;
  last_ok_ns: number | null;
  probes: number;
}

/** Python one-liner: connect (from a given source) to sshd and read its banner; exit 0 on "SSH-". */
const BANNER = `import socket,sys
s=socket.socket(); s.settimeout(2)
if sys.argv[3]: s.bind((sys.argv[3],0))
try:
  s.connect((sys.argv[1],int(sys.argv[2]))); sys.exit(0 if s.recv(64).startswith(b"SSH-") else 1)
except Exception: sys.exit(1)`;

export async function sshBanner(pair: NetnsPair, from = ""): Promise<boolean> {
  const r = await pair.run("attacker", ["/usr/bin/python3", "-c", BANNER, pair.victim.v4, "22", from], 10_000);
  return r.code === 0;
}

/**
 * The same attack for every contender: hydra with `hydraTasks` tasks and a list of wrong passwords
 * against the victim's sshd from the attacker's address, while bench/bruteforce/drop-probe.py
 * connects from that address every 2 ms to a plain listener and notes the first dropped connect.
 * Afterwards the stamped log says when the maxretry-th failure line was written and how many
 * failures got through.
 */
export async function runAttack(pair: NetnsPair, sshd: VictimSshd, dir: string, o: AttackOptions, label: string): Promise<AttackResult> {
  const net = pair.attacker.v4.split(".").slice(0, 3).join(".");
  const bystander = `${net}.200`;
  await pair.run("attacker", ["ip", "addr", "add", `${bystander}/24`, "dev", pair.attacker.ifname]);
  if (!(await sshBanner(pair, bystander))) throw new Error("the bystander cannot reach sshd before the attack");
  const words = join(dir, "passwords");
  writeFileSync(words, `${Array.from({ length: o.passwords }, (_, i) => `wrong-guess-${i}`).join("\n")}\n`);
  const probe = Bun.spawn(pair.argv("attacker", ["/usr/bin/python3", join(import.meta.dir, "drop-probe.py"), pair.victim.v4, String(o.probePort), "2", "50", "3", String(o.limitS)]), { stdout: "pipe", stderr: "inherit" });
  const reader = probe.stdout.getReader();
  const dec = new TextDecoder();
  let out = "";
  const readLine = async (): Promise<string> => {
    for (;;) {
      const i = out.indexOf("\n");
      if (i >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) return "";
      out += dec.decode(value);
    }
  };
  if ((await readLine()) !== "ready") throw new Error("drop-probe.py did not start");
  // cwd = dir: hydra leaves its ./hydra.restore there when killed
  const startMs = performance.timeOrigin + performance.now(); // unix ms, as the probe's time.time_ns()
  const hydra = Bun.spawn(pair.argv("attacker", ["hydra", "-l", "root", "-P", words, "-t", String(o.hydraTasks), "-w", "3", "-I", "-q", `ssh://${pair.victim.v4}`]), { cwd: dir, stdout: "ignore", stderr: "ignore" });
  let result: ProbeLine;
  try {
    result = JSON.parse(await readLine()) as ProbeLine;
    // attempts already on the wire when the drop began still reach sshd's log: let them land;
    // hydra keeps trying, so a count that grows after this would show a leaky drop
    await Bun.sleep(2_000);
  } finally {
    killTree(hydra.pid);
    killTree(probe.pid);
  }
  const attackerBlocked = result.drop_ns !== null && !(await sshBanner(pair));
  const bystanderOk = await sshBanner(pair, bystander);
  if (o.keepDir) copyFileSync(sshd.stamps, join(o.keepDir, `${label}-${pair.id}.tsv`));
  const filter = loadFilter("sshd");
  const failed = `Failed password for root from ${pair.attacker.v4} `;
  let failedPasswords = 0;
  let filterFailures = 0;
  let tMaxretry: number | null = null;
  for (const row of readFileSync(sshd.stamps, "utf8").split("\n")) {
    const tab = row.indexOf("\t");
    if (tab < 0) continue;
    const line = row.slice(tab + 1);
    if (line.includes(failed)) failedPasswords++;
    const v = filter.processLine(line);
    if (v.kind === "failure" && v.address === pair.attacker.v4 && ++filterFailures === o.maxretry) tMaxretry = Number(row.slice(0, tab));
  }
  const dropMs = result.drop_ns !== null && tMaxretry !== null ? (result.drop_ns - tMaxretry) / 1e6 : null;
  const sinceStartMs = result.drop_ns !== null ? result.drop_ns / 1e6 - startMs : null;
  const resolutionMs = result.drop_ns !== null && result.last_ok_ns !== null ? (result.drop_ns - result.last_ok_ns) / 1e6 : null;
  return { failedPasswords, filterFailures, maxretryLineNs: tMaxretry, dropped: result.drop_ns !== null, dropMs, sinceStartMs, resolutionMs, bystanderOk, attackerBlocked };
}
