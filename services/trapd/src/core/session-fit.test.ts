import { expect, test } from "bun:test";
import { checker } from "@honeymesh/schema/check";
import { TrapSession } from "@honeymesh/schema/trap";
import { ctl, hostileRecord } from "./session-fit.fixture.ts";
import { SessionRecord } from "./session-record.ts";
import { fitSession, jsonBytes, MAX_SESSION_BYTES } from "./session-fit.ts";

const valid = checker(TrapSession);
test("a session of control bytes fits its byte bound, stays valid, keeps every credential and says it was trimmed", () => {
  const rec = hostileRecord();
  const s = rec.session();
  expect(jsonBytes(s)).toBeLessThanOrEqual(MAX_SESSION_BYTES);
  expect(valid.Check(s)).toBe(true);
  expect(s.meta.truncated).toBe("bytes");
  expect(s.credentials).toHaveLength(64);
  // Prefixes of the real credentials: the first characters are what they were.
  expect(s.credentials[5]!.username.startsWith("u5-")).toBe(true);
  expect(s.credentials[5]!.password!.startsWith("p5-")).toBe(true);
  expect(s.entropy).toBeGreaterThan(0);
  expect(s.bytes_in).toBe(4096);
});

test("multi-byte characters (3 and 4 UTF-8 bytes) are measured in bytes, not characters", () => {
  const wide = (n: number, i: number) => (i % 2 ? "€" : "😈").repeat(n).slice(0, n);
  const s = hostileRecord(wide).session();
  expect(jsonBytes(s)).toBeLessThanOrEqual(MAX_SESSION_BYTES);
  expect(valid.Check(s)).toBe(true);
  expect(s.meta.truncated).toBe("bytes");
  expect(s.credentials).toHaveLength(64);
});

test("trimming drops the last commands first and keeps the payload sample decodable", () => {
  const rec = new SessionRecord({ service: "smtp", src: "198.51.100.7", srcPort: 40_000, dst: "192.0.2.1", dstPort: 25 }, 4096);
  for (let i = 0; i < 64; i++) rec.command(`${i} ${ctl(500)}`);
  rec.credential({ method: "password", username: "root", password: "toor" });
  const s = rec.session();
  expect(jsonBytes(s)).toBeLessThanOrEqual(MAX_SESSION_BYTES);
  expect(s.commands.length).toBeGreaterThan(0);
  expect(s.commands.length).toBeLessThan(64);
  expect(s.commands[0]!.startsWith("0 ")).toBe(true);
  expect(s.credentials).toEqual([{ method: "password", username: "root", password: "toor" }]);
  const tiny = fitSession({ ...s, meta: {}, payload_b64: Buffer.from(ctl(3000)).toString("base64") }, 2_000);
  expect(jsonBytes(tiny)).toBeLessThanOrEqual(2_000);
  expect(tiny.payload_b64.length % 4).toBe(0);
});

test("a session within its bound is returned as it is, unmarked", () => {
  const rec = new SessionRecord({ service: "ftp", src: "198.51.100.7", srcPort: 40_000, dst: "192.0.2.1", dstPort: 21 }, 4096);
  rec.command("USER anonymous");
  const s = rec.session();
  expect(s.meta.truncated).toBeUndefined();
  expect(s.commands).toEqual(["USER anonymous"]);
});

test("sessions just under and just over the bound: the quick estimate never lets an oversize one through", () => {
  const marked: boolean[] = [];
  for (const n of [1000, 4000, 8000, 8500, 8800, 9000, 12000]) {
    const rec = new SessionRecord({ service: "smtp", src: "198.51.100.7", srcPort: 40_000, dst: "192.0.2.1", dstPort: 25 }, 4096);
    for (let i = 0; i < Math.ceil(n / 512); i++) rec.command(ctl(Math.min(512, n - i * 512), i));
    const s = rec.session();
    expect(jsonBytes(s)).toBeLessThanOrEqual(MAX_SESSION_BYTES);
    // Marked exactly when something was cut.
    expect(s.meta.truncated === "bytes").toBe(s.commands.join("").length < n);
    marked.push(s.meta.truncated === "bytes");
  }
  expect(marked).toEqual([false, false, false, false, true, true, true]);
});
