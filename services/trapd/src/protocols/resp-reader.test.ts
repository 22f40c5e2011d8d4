import { expect, test } from "bun:test";
import { RespReader } from "./resp-reader.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const strs = (r: ReturnType<RespReader["push"]>) => (typeof r === "string" ? r : r.map((c) => c.map((a) => a.toString())));

test("multibulk commands, split anywhere, and inline commands", () => {
  const r = new RespReader(1024);
  const wire = "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$3\r\ndir\r\n$4\r\n/tmp\r\nPING\r\n";
  expect(strs(r.push(enc(wire.slice(0, 17))))).toEqual([]);
  expect(strs(r.push(enc(wire.slice(17))))).toEqual([["CONFIG", "SET", "dir", "/tmp"], ["PING"]]);
  expect(strs(r.push(enc("SLAVEOF 203.0.113.9  6379\n")))).toEqual([["SLAVEOF", "203.0.113.9", "6379"]]);
});

test("binary-safe bulk strings keep CR LF inside", () => {
  const r = new RespReader(1024);
  expect(strs(r.push(enc("*2\r\n$3\r\nSET\r\n$5\r\na\r\nb\n\r\n")))).toEqual([["SET", "a\r\nb\n"]]);
});

test("hostile lengths are refused, not buffered", () => {
  expect(new RespReader(64).push(enc("*1\r\n$100000\r\n"))).toBe("line_cap");
  expect(new RespReader(64).push(enc("*99999\r\n"))).toBe("protocol");
  expect(new RespReader(64).push(enc("*1\r\n:5\r\n"))).toBe("protocol");
  expect(new RespReader(64).push(enc("x".repeat(65)))).toBe("line_cap");
  expect(new RespReader(64).push(enc("*x\r\n"))).toBe("protocol");
});
