import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { NotifyEvent } from "../../packages/notify/src/events.ts";
import { SyslogSink, type SyslogOptions } from "../../packages/notify/src/syslog.ts";
import { freePort, waitFor, waitForPort } from "../support/bus-node.ts";

const RSYSLOGD = "/usr/sbin/rsyslogd";
const skip = existsSync(RSYSLOGD) ? undefined : "rsyslogd missing (Debian package rsyslog; scripts/setup.sh --test installs it)";
if (skip) console.warn(`rsyslog test skipped: ${skip}`);

/**
 * HoneyMesh's syslog forwarding against Debian's rsyslogd on loopback (UDP and TCP inputs): the
 * collector's own RFC 5424 parser must find our PRI, APP-NAME, MSGID and MSG, over both transports.
 */
describe.skipIf(Boolean(skip))("syslog forwarding into rsyslogd", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-rsyslog-"));
  const udpPort = freePort();
  const tcpPort = freePort();
  const out = join(dir, "out.log");
  let rsyslogd: Subprocess | undefined;

  beforeAll(async () => {
    const conf = join(dir, "rsyslog.conf");
    writeFileSync(
      conf,
      [
        `global(workDirectory="${dir}")`,
        'module(load="imudp")',
        'module(load="imtcp")',
        `input(type="imudp" address="127.0.0.1" port="${udpPort}")`,
        `input(type="imtcp" address="127.0.0.1" port="${tcpPort}")`,
        'template(name="fields" type="string" string="%pri%|%app-name%|%msgid%|%procid%|%msg%\\n")',
        `*.* action(type="omfile" file="${out}" template="fields")`,
        "",
      ].join("\n"),
    );
    rsyslogd = Bun.spawn([RSYSLOGD, "-n", "-f", conf, "-i", join(dir, "rsyslogd.pid")], { stdout: "ignore", stderr: "inherit" });
    await waitForPort(tcpPort, 10_000);
  });
  afterAll(() => {
    rsyslogd?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  const base: SyslogOptions = { host: "127.0.0.1", port: 0, transport: "udp", format: "json", facility: 16, appName: "honeymesh", node: "n1", version: "0.1.0", maxQueue: 100 };
  const ban = (address: string): NotifyEvent => ({ type: "ban", at: Date.now(), address, reasons: ["TRAP"], origin: "n1", local: true, jails: [], summary: "TRAP: ssh", expires_at: 0 });
  const lines = () => (existsSync(out) ? readFileSync(out, "utf8").split("\n").filter(Boolean) : []);

  test("UDP, JSON: rsyslog parses PRI, APP-NAME, MSGID and the JSON message", async () => {
    const sink = new SyslogSink({ ...base, port: udpPort });
    sink.accept(ban("192.0.2.31"));
    await waitFor(() => lines().some((l) => l.includes("192.0.2.31")), 10_000, "the UDP message in rsyslog's file");
    sink.stop();
    const [pri, app, msgid, procid, msg] = lines().find((l) => l.includes("192.0.2.31"))!.split("|");
    expect([pri, app, msgid, procid]).toEqual(["132", "honeymesh", "ban", String(process.pid)]);
    expect(JSON.parse(msg!.replace(/^\uFEFF/, "").trim())).toMatchObject({ type: "ban", address: "192.0.2.31", node: "n1" });
  });

  test("TCP with octet counting, CEF: every frame arrives whole", async () => {
    const sink = new SyslogSink({ ...base, transport: "tcp", port: tcpPort, format: "cef" });
    for (let i = 0; i < 20; i++) sink.accept(ban(`198.51.100.${i}`));
    await waitFor(() => lines().filter((l) => l.includes("CEF:0|HoneyMesh")).length >= 20, 10_000, "20 TCP messages in rsyslog's file");
    sink.stop();
    const cef = lines().filter((l) => l.includes("CEF:0|HoneyMesh"));
    expect(cef.length).toBe(20);
    for (const l of cef) expect(l.split("|").slice(0, 3)).toEqual(["132", "honeymesh", "ban"]);
    expect(cef.some((l) => l.includes("src=198.51.100.19"))).toBe(true);
  });
});
