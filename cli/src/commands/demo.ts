import type { MetricsOf } from "@honeymesh/schema/metrics";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createNetnsPair, type NetnsPair } from "@honeymesh/netns/netns-pair";
import { reasonNames } from "@honeymesh/ban/reasons";
import { demoEnv } from "../demo/demo-env.ts";
import { EventStream } from "../demo/event-stream.ts";
import { bold, dim, green, red, renderEvent, say, step } from "../demo/render.ts";
import { CliError } from "../errors.ts";
import { REPO_ROOT } from "../paths.ts";

const CLI = join(REPO_ROOT, "cli", "src", "main.ts");
const PASSWORDS = ["123456", "password", "admin", "root", "toor", "qwerty"];

function need(tool: string): void {
  if (Bun.spawnSync(["sh", "-c", `command -v ${tool}`]).exitCode !== 0) throw new CliError("START_FAILED", `the demo needs ${tool}; run: bash scripts/setup.sh`);
}

async function reachable(pair: NetnsPair, host: string): Promise<boolean> {
  // An ICMP echo, not ARP/ND (which XDP rightly passes): nmap would otherwise say "up" via ARP.
  const r = await pair.run("attacker", ["nmap", "-sn", "-PE", "--disable-arp-ping", "-n", "--max-retries", "1", "--host-timeout", "3s", host.includes(":") ? "-6" : "-4", host], 10_000);
  return /Host is up/.test(r.stdout);
}

/**
 * `honeymesh demo`: a node in a fresh namespace, an attacker in another, real nmap and ssh
 * against it, and the result shown live: traps, kernel observations, decisions, bans, drops.
 */
export async function demoCommand(): Promise<number> {
  if (process.getuid?.() !== 0) throw new CliError("START_FAILED", "the demo builds network namespaces and loads XDP: run it as root");
  for (const t of ["nsenter", "ip", "nmap", "sshpass", "ssh"]) need(t);
  process.stdout.write(`${bold("HoneyMesh demo")} ${dim("— a node and an attacker in two network namespaces; nothing leaves this machine")}\n`);
  const pair = createNetnsPair();
  const { env, stateDir, pinRoot } = demoEnv(pair);
  const node = Bun.spawn(pair.argv("victim", [process.execPath, CLI, "up", "--foreground"]), { env, stdout: "ignore", stderr: "ignore", cwd: REPO_ROOT });
  try {
    step(1, `start a node at ${pair.victim.v4} / ${pair.victim.v6} (XDP on ${pair.victim.ifname}, mode enforce)`);
    const spawnWatch = () => Bun.spawn(pair.argv("victim", [process.execPath, CLI, "__watch"]), { env, stdout: "pipe", stderr: "ignore", stdin: "ignore" });
    // The watcher connects once the node's broker listens; it retries for 10 s on its own.
    await Bun.sleep(1_000);
    const watch = spawnWatch();
    const events = new EventStream(watch);
    const healthy = new Set<string>();
    events.onEvent((e) => {
      if (e.topic.endsWith("/health")) healthy.add(String(e.d.service));
      const line = renderEvent(e.topic, e.d);
      if (line) say(line);
    });
    const deadline = Date.now() + 20_000;
    while (!["busd", "trapd", "scand", "enforcerd"].every((s) => healthy.has(s)) && Date.now() < deadline) await Bun.sleep(100);
    say(`node up: ${[...healthy].sort().join(", ")}`);

    step(2, `attacker ${pair.attacker.v4} can reach the node`);
    say(`ping ${pair.victim.v4}: ${(await reachable(pair, pair.victim.v4)) ? green("reply") : red("no reply")}`);

    step(3, `attacker runs nmap -sS -p 1-1000 ${pair.victim.v4}`);
    await pair.run("attacker", ["nmap", "-sS", "-Pn", "-n", "-T4", "--max-retries", "0", "-p", "1-1000", pair.victim.v4], 90_000);
    await events.waitFor((e) => e.topic.endsWith("/ban") && (e.d.address as { text?: string } | undefined)?.text === pair.attacker.v4, 5_000);

    step(4, `attacker ${pair.attacker.v6} brute-forces the SSH trap on port 2222 with ${PASSWORDS.length} passwords`);
    await Promise.all(
      PASSWORDS.map((pw) =>
        pair.run("attacker", ["sshpass", "-p", pw, "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=5", "-p", "2222", `root@${pair.victim.v6}`, "true"], 20_000),
      ),
    );
    await events.waitFor((e) => e.topic.endsWith("/ban") && (e.d.address as { text?: string } | undefined)?.text === pair.attacker.v6 && (Number(e.d.reasons) & 32) !== 0, 8_000);

    step(5, "the attacker's packets are now dropped in XDP, before the network stack");
    for (const host of [pair.victim.v4, pair.victim.v6]) say(`ping ${host}: ${(await reachable(pair, host)) ? green("reply") : red("dropped")}`);
    const bans = new Map<string, Record<string, unknown>>();
    for (const e of events.events) if (e.topic.endsWith("/ban") && (e.d.change === "added" || e.d.change === "extended")) bans.set(String((e.d.address as { text?: string } | undefined)?.text), e.d);
    process.stdout.write(`\n${bold("bans")}\n`);
    for (const [value, b] of bans) process.stdout.write(`  ${bold(value.padEnd(28))} ${reasonNames(Number(b.reasons)).join("+").padEnd(22)} ${(b.evidence as { summary: string }[]).slice(0, 2).map((x) => x.summary).join("; ")}\n`);
    const mark = events.events.length;
    const fresh = await events.waitFor((e) => e.topic === "hm/v1/enforcerd/metrics" && events.events.indexOf(e) >= mark, 3_000);
    const k = (fresh?.d as MetricsOf<"enforcerd"> | undefined)?.kernel;
    if (k) say(`kernel counters: dropped ${k.dropped}, passed ${k.passed}, SYNs seen ${k.syn_seen}`);
    watch.kill("SIGTERM");
    return 0;
  } finally {
    node.kill("SIGTERM");
    await Promise.race([node.exited, Bun.sleep(15_000)]);
    if (node.exitCode === null) node.kill("SIGKILL");
    pair.destroy();
    rmSync(pinRoot, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
    process.stdout.write(`\n${dim("cleaned up: namespaces, pins and state removed")}\n`);
  }
}
