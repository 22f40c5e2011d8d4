import { afterAll, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import type { NotifyEvent } from "./events.ts";
import { cefOf, rfc5424, SyslogSink, type SyslogOptions } from "./syslog.ts";

const ban: NotifyEvent = { type: "ban", at: Date.UTC(2026, 10, 30, 12, 0, 0), address: "192.0.2.7", reasons: ["TRAP", "SCAN"], origin: "n1", local: true, jails: [], summary: "SCAN: ports 22|80=x", expires_at: 0 };
const base: SyslogOptions = { host: "127.0.0.1", port: 0, transport: "udp", format: "json", facility: 16, appName: "honeymesh", node: "n1", version: "0.1.0", maxQueue: 100 };

/** RFC 5424 §6: HEADER fields, NILVALUE for structured data, a BOM before the UTF-8 MSG. */
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\d+) (\S+) - \uFEFF(.*)$/s;

test("RFC 5424 header: PRI = facility·8 + severity, ISO timestamp, app, msgid; MSG is JSON", () => {
  const m = RFC5424.exec(rfc5424(ban, base, "host-a"))!;
  expect(m).not.toBeNull();
  expect(Number(m[1])).toBe(16 * 8 + 4);
  expect(m[2]).toBe("2026-11-30T12:00:00.000Z");
  expect([m[3], m[4], m[6]]).toEqual(["host-a", "honeymesh", "ban"]);
  expect(JSON.parse(m[7]!)).toMatchObject({ node: "n1", type: "ban", address: "192.0.2.7" });
});

test("CEF escapes header pipes and extension equals signs", () => {
  const cef = cefOf(ban, base);
  expect(cef.startsWith("CEF:0|HoneyMesh|honeymesh|0.1.0|ban|IP banned|7|")).toBe(true);
  expect(cef).toContain("src=192.0.2.7");
  expect(cef).toContain("cs1=TRAP,SCAN");
  expect(cef).toContain("22|80\\=x");
});

const closers: (() => void)[] = [];
afterAll(() => closers.forEach((c) => c()));

test("UDP: one datagram per event", async () => {
  const got: string[] = [];
  const sock = createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
  sock.on("message", (m) => got.push(m.toString()));
  closers.push(() => sock.close());
  const sink = new SyslogSink({ ...base, port: sock.address().port, format: "cef" });
  closers.push(() => sink.stop());
  sink.accept(ban);
  sink.accept({ type: "mode", at: Date.now(), mode: "enforce", source: "operator" });
  for (let i = 0; i < 200 && got.length < 2; i++) await Bun.sleep(10);
  expect(got.length).toBe(2);
  expect(got[0]).toContain("CEF:0|HoneyMesh");
  expect(RFC5424.exec(got[1]!)?.[6]).toBe("mode");
  expect(sink.stats.sent).toBe(2);
});

test("TCP: octet-counted frames (RFC 6587)", async () => {
  let buf = "";
  const server = createServer((s) => s.on("data", (d) => (buf += d.toString())));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  closers.push(() => server.close());
  const sink = new SyslogSink({ ...base, transport: "tcp", port: (server.address() as { port: number }).port });
  closers.push(() => sink.stop());
  for (let i = 0; i < 3; i++) sink.accept({ ...ban, address: `192.0.2.${i}` });
  for (let i = 0; i < 200 && !buf.includes("192.0.2.2"); i++) await Bun.sleep(10);
  const frames: string[] = [];
  let rest = Buffer.from(buf);
  while (rest.length > 0) {
    const sp = rest.indexOf(32);
    const len = Number(rest.subarray(0, sp).toString());
    frames.push(rest.subarray(sp + 1, sp + 1 + len).toString());
    rest = rest.subarray(sp + 1 + len);
  }
  expect(frames.length).toBe(3);
  for (const f of frames) expect(RFC5424.test(f)).toBe(true);
});

test("a collector that is down: the queue is bounded and drops are counted", async () => {
  const sink = new SyslogSink({ ...base, transport: "tcp", port: 1, maxQueue: 10 });
  closers.push(() => sink.stop());
  for (let i = 0; i < 50; i++) sink.accept(ban);
  expect(sink.stats.dropped).toBe(40);
  for (let i = 0; i < 100 && sink.stats.errors === 0; i++) await Bun.sleep(10);
  expect(sink.stats.errors).toBeGreaterThan(0);
});
