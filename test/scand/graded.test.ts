/**
 * Graded evidence and the protected set, end to end (DESIGN §3): real XDP, real trapd, scand and
 * enforcerd in a namespace, spoofed SYN scans from hping3 and a real connect scan from nmap.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { kernelSkipReason } from "../kernel/harness.ts";
import { ROOT, waitFor } from "../support/bus-node.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import type { NetnsPair } from "../support/netns.ts";
import type { BusLine, NsNode } from "../support/ns-node.ts";

const skip = kernelSkipReason() ?? (Bun.which("hping3") ? undefined : "hping3 is not installed (scripts/setup.sh --test)");
const UNVERIFIED_TTL_S = 20;
const SESSION_PORT = 5433; // not a trap
const TRAP_PORTS = [2222, 2323, 2121, 8081, 2525, 6380, 3307];

type Result = { id: string; outcome: string; refusal?: string; detail: string; address?: { text: string } };
const isBan = (text: string) => (l: BusLine) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === text && (l.d.change === "added" || l.d.change === "extended");
const resultsFor = (lines: BusLine[], text: string): Result[] =>
  lines.filter((l) => l.topic === "hm/v1/enforcerd/result").flatMap((l) => (l.d.results as Result[]).filter((r) => r.address?.text === text || r.detail.startsWith(`${text} `)));

describe.skipIf(Boolean(skip))("graded evidence: spoofed SYN scans vs a connect scan, live sessions and resolvers", () => {
  let en: EnforcingNode;
  let pair: NetnsPair;
  let node: NsNode;
  let dir: string;
  let operator: string;
  let resolver: string;
  let random: string;
  let server: Subprocess | undefined;
  let client: Subprocess<"ignore", "pipe", "inherit"> | undefined;
  let echoes = 0;
  let dead = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hm-graded-"));
    en = await startEnforcingNode({
      services: ["enforcerd", "scand", "trapd"],
      env: (p) => {
        const net = p.attacker.v4.split(".").slice(0, 3).join(".");
        [operator, resolver, random] = [`${net}.3`, `${net}.53`, `${net}.77`];
        writeFileSync(join(dir, "resolv.conf"), `# the test's resolver\nnameserver ${resolver}\n`);
        writeFileSync(join(dir, "timesyncd.conf"), "[Time]\n");
        return {
          HONEYMESH_NODE_RESOLV_CONF: join(dir, "resolv.conf"),
          HONEYMESH_NODE_NTP_CONFS: join(dir, "timesyncd.conf"),
          HONEYMESH_SCAN_WINDOW_S: "10",
          HONEYMESH_SCAN_TRAP_TOUCH_DELAY_S: "0",
          HONEYMESH_SCAN_UNVERIFIED_TTL_S: String(UNVERIFIED_TTL_S),
          HONEYMESH_BANS_DEFAULT_TTL_S: "3600",
        };
      },
    });
    ({ pair, node } = en);
    // The operator: a second address on the attacker side holding a TCP session to a non-trap port.
    expect(Bun.spawnSync(["ip", "-n", pair.attacker.ns, "addr", "add", `${operator}/24`, "dev", pair.attacker.ifname]).exitCode).toBe(0);
    server = Bun.spawn(pair.argv("victim", ["python3", join(ROOT, "test/scand/fixtures/tcp-session.py"), "server", String(SESSION_PORT)]), { stdout: "pipe", stderr: "inherit" });
    const ready = server.stdout as ReadableStream<Uint8Array>;
    await ready.getReader().read();
    client = Bun.spawn(pair.argv("attacker", ["python3", join(ROOT, "test/scand/fixtures/tcp-session.py"), "client", operator, pair.victim.v4, String(SESSION_PORT)]), { stdout: "pipe", stderr: "inherit" });
    void (async () => {
      const dec = new TextDecoder();
      for await (const chunk of client!.stdout) {
        const text = dec.decode(chunk);
        echoes += (text.match(/^echo /gm) ?? []).length;
        if (text.includes("dead")) dead = true;
      }
    })();
    await waitFor(() => echoes >= 3, 10_000, "operator session echoing");
    // enforcerd sees it (re-read every 10 s with the fast path off, at once before an unverified
    // decision) and lists it with its source.
    await waitFor(() => protectedRows().some((r) => r.address === operator && r.source === "session"), 20_000, "session in the protected set");
  }, 60_000);

  afterAll(async () => {
    for (const p of [client, server]) if (p && p.exitCode === null) p.kill("SIGKILL");
    await en?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  function protectedRows(): { address: string; source: string }[] {
    const db = new Database(join(node.node.stateDir, "enforcerd.sqlite"), { readonly: true });
    try {
      return db.query("SELECT address, source FROM protected_set").all() as { address: string; source: string }[];
    } catch {
      return [];
    } finally {
      db.close();
    }
  }

  const spoofedScan = (src: string, firstPort: number) =>
    pair.run("attacker", ["hping3", "-S", "-a", src, "-p", `++${firstPort}`, "-c", "5", "-i", "u100000", pair.victim.v4], 30_000);

  test("the resolver in the node's resolv.conf is listed with its source", () => {
    expect(protectedRows()).toContainEqual({ address: resolver, source: "resolver" });
  });

  test("(a) a spoofed SYN scan in the name of a live operator session: refused as protected, the session keeps working", async () => {
    const from = node.lines.length;
    await spoofedScan(operator, 1000);
    await waitFor(() => resultsFor(node.lines.slice(from), operator).length > 0, 10_000, "enforcerd's answer about the operator");
    const [r] = resultsFor(node.lines.slice(from), operator);
    expect(r).toMatchObject({ outcome: "refused", refusal: "protected" });
    expect(r!.detail).toContain(`${operator}, session`);
    expect(node.lines.slice(from).filter(isBan(operator))).toEqual([]);
    const before = echoes;
    await waitFor(() => echoes >= before + 5, 10_000, "session still echoing after the spoofed scan");
    expect(dead).toBe(false);
  }, 60_000);

  test("(b) a spoofed SYN scan in the name of the node's resolver: refused as protected", async () => {
    const from = node.lines.length;
    await spoofedScan(resolver, 2000);
    await waitFor(() => resultsFor(node.lines.slice(from), resolver).length > 0, 10_000, "enforcerd's answer about the resolver");
    const [r] = resultsFor(node.lines.slice(from), resolver);
    expect(r).toMatchObject({ outcome: "refused", refusal: "protected" });
    expect(r!.detail).toContain(`${resolver}, resolver`);
    expect(node.lines.slice(from).filter(isBan(resolver))).toEqual([]);
  }, 60_000);

  test("(c) a spoofed SYN scan from a random address: a short local ban, unverified, not an offence", async () => {
    const from = node.lines.length;
    await spoofedScan(random, 3000);
    const ban = await node.waitLine(isBan(random), 10_000, "unverified ban", from);
    expect(ban.d.confidence).toBe("unverified");
    expect(Number(ban.d.expires_at) - Number(ban.d.at)).toBeLessThanOrEqual(UNVERIFIED_TTL_S * 1000 + 1000);
    expect(Number(ban.d.offence)).toBe(0);
  }, 60_000);

  test("(d) a real connect scan over the traps: verified, a full ban", async () => {
    const from = node.lines.length;
    const scan = await pair.run("attacker", ["nmap", "-sT", "-Pn", "-n", "-T4", "--max-retries", "0", "-p", TRAP_PORTS.join(","), pair.victim.v4], 60_000);
    expect(scan.code).toBe(0);
    const verified = (l: BusLine) => isBan(pair.attacker.v4)(l) && l.d.confidence === "verified";
    const ban = await node.waitLine(verified, 15_000, "verified ban", from);
    expect(Number(ban.d.expires_at) - Number(ban.d.at)).toBeGreaterThan(UNVERIFIED_TTL_S * 1000 * 10);
    expect(Number(ban.d.offence)).toBe(1);
    expect(Number(ban.d.reasons) & 1).toBe(1); // TRAP: a completed handshake with a trap
  }, 90_000);
});
