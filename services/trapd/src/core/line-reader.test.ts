import { expect, test } from "bun:test";
import { LineReader } from "./line-reader.ts";

const s = (r: Buffer[] | "line_cap") => (r === "line_cap" ? r : r.map((b) => b.toString()));
const e = (t: string) => new TextEncoder().encode(t);

test("lines across chunks, CRLF and LF, and the unfinished rest held", () => {
  const r = new LineReader(100);
  expect(s(r.push(e("USER ro")))).toEqual([]);
  expect(s(r.push(e("ot\r\nPASS x\nNO")))).toEqual(["USER root", "PASS x"]);
  expect(r.held).toBe(2);
  expect(s(r.push(e("OP\r\n")))).toEqual(["NOOP"]);
  expect(r.held).toBe(0);
});

test("a line longer than the cap is refused, finished or not", () => {
  expect(new LineReader(8).push(e("123456789\n"))).toBe("line_cap");
  const r = new LineReader(8);
  expect(s(r.push(e("12345")))).toEqual([]);
  expect(r.push(e("6789"))).toBe("line_cap");
  expect(s(new LineReader(8).push(e("12345678\n")))).toEqual(["12345678"]);
});
