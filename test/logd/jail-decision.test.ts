import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { Decision } from "../../packages/schema/src/decision.ts";
import type { JailFailure } from "../../packages/schema/src/logd.ts";
import type { MetricsOf } from "../../packages/schema/src/metrics.ts";
import { ROOT, TestNode, waitFor } from "../support/bus-node.ts";

/**
 * Real busd, logd and scand processes, a real log file and logd's real SQLite: sshd failures
 * written to the file become one `hm/v1/logd/failure` and one scand decision (EXTERNAL, evidence
 * kind jail); logd restarted in the middle of a burst and a rename rotation lose no line and
 * count none twice; the jail's counters reach `hm/v1/logd/metrics`.
 */
describe("logd end to end: log lines → jail → scand decision", () => {
  const node = new TestNode();
  const log = join(node.stateDir, "auth.log");
  const conf = join(node.stateDir, "honeymesh.toml");
  const failures: JailFailure[] = [];
  const decisions: Decision[] = [];
  let metrics: MetricsOf<"logd"> | undefined;
  let logd: Subprocess | undefined;
  let pid = 1000;
  const line = (ip: string, user = "root") => {
    const d = new Date();
    const mon = d.toLocaleString("en-US", { month: "short" });
    const ts = `${mon} ${String(d.getDate()).padStart(2, " ")} ${d.toTimeString().slice(0, 8)}`;
    return `${ts} victim sshd-session[${pid++}]: Failed password for ${user} from ${ip} port ${40000 + pid} ssh2\n`;
  };
  const startLogd = () => {
    logd = node.spawn([process.execPath, join(ROOT, "services/logd/src/main.ts"), "--config", conf]);
  };

  beforeAll(async () => {
    writeFileSync(log, "");
    writeFileSync(
      conf,
      ["[jails.sshd]", "enabled = true", `logpath = ["${log}"]`, "maxretry = 4", 'findtime = "10m"', 'bantime = "1h"', 'ignoreip = ["192.0.2.0/24"]', ""].join("\n"),
    );
    await node.init();
    await node.startBusd();
    const watcher = await node.client("honeymesh");
    await watcher.subscribe("logd", "failure", (f) => void failures.push(f));
    await watcher.subscribe("scand", "decision", (d) => void decisions.push(d));
    await watcher.subscribe("logd", "metrics", (m) => {
      if (m.service === "logd") metrics = m;
    });
    node.spawn([process.execPath, join(ROOT, "services/scand/src/main.ts"), "--config", conf]);
    startLogd();
    await waitFor(() => metrics !== undefined, 20_000, "logd metrics");
  }, 30_000);
  afterAll(() => node.stop());

  test("maxretry failures within findtime become one decision with the jail's evidence; ignoreip is not counted", async () => {
    appendFileSync(log, line("198.51.100.20") + line("192.0.2.5") + line("198.51.100.20") + line("192.0.2.5") + line("198.51.100.20") + line("192.0.2.5") + line("192.0.2.5"));
    await waitFor(() => (metrics?.jails[0]?.failures ?? 0) >= 3, 10_000, "three failures counted");
    expect(failures).toEqual([]);
    appendFileSync(log, line("198.51.100.20", "admin"));
    await waitFor(() => decisions.length >= 1, 10_000, "scand's decision");
    expect(failures.map((f) => [f.jail, f.address, f.count])).toEqual([["sshd", "198.51.100.20", 4]]);
    const d = decisions[0]!;
    expect(d.address).toEqual({ kind: "ip", text: "198.51.100.20" });
    expect(d.reasons).toBe(64);
    expect(d.ttl_s).toBe(3600);
    expect(d.evidence[0]).toMatchObject({ kind: "jail", jail: "sshd", count: 4, window_s: 600 });
    expect(d.evidence[0]!.summary).toMatch(/^sshd: 4 failures for root, admin in \d+ s$/);
    await waitFor(() => metrics?.jails[0]?.bans === 1, 10_000, "bans counter");
    expect(metrics!.jails[0]).toMatchObject({ jail: "sshd", lines: 8, failures: 4, ignored: 4, bans: 1, source_ok: true });
  }, 30_000);

  test("a restart in the middle of a burst and a rename rotation: no line lost, none counted twice", async () => {
    appendFileSync(log, line("203.0.113.30") + line("203.0.113.30"));
    await waitFor(() => (metrics?.jails[0]?.lines ?? 0) >= 10, 10_000, "two more lines read");
    logd!.kill("SIGTERM");
    await logd!.exited;
    // while logd is down: one more attempt, then the file is rotated and the next goes to a new file
    appendFileSync(log, line("203.0.113.30"));
    renameSync(log, `${log}.1`);
    writeFileSync(log, "");
    metrics = undefined;
    startLogd();
    await waitFor(() => metrics !== undefined, 20_000, "logd back");
    appendFileSync(log, line("203.0.113.30"));
    await waitFor(() => failures.length >= 2, 10_000, "the second failure");
    // since its restart logd read exactly two lines (the rest of auth.log.1 and the new one)
    await waitFor(() => metrics?.jails[0]?.bans === 1, 10_000, "logd's counters after the restart");
    expect(metrics!.jails[0]).toMatchObject({ lines: 2, failures: 2, bans: 1 });
    expect(failures.map((f) => [f.address, f.count])).toEqual([
      ["198.51.100.20", 4],
      ["203.0.113.30", 4],
    ]);
    await waitFor(() => decisions.length >= 2, 10_000, "the second decision");
    expect(decisions.map((d) => d.address.text)).toEqual(["198.51.100.20", "203.0.113.30"]);
  }, 60_000);
});
