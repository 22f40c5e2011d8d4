import { describe, expect, test } from "bun:test";
import { goDuration } from "../routes/crowdsec.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { csvField, exportStream } from "./export-stream.ts";

describe("read helpers", () => {
  test("CSV fields are quoted as RFC 4180 says", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a,"b"\r\nc')).toBe('"a,""b""\r\nc"');
    expect(csvField(["x", "y"])).toBe('"[""x"",""y""]"');
    expect(csvField(null)).toBe("");
  });

  test("cursors round-trip and refuse what the API did not make", () => {
    expect(decodeCursor(encodeCursor("10.0.0.1"))).toEqual({ ok: true, key: "10.0.0.1" });
    expect(decodeCursor(encodeCursor(42))).toEqual({ ok: true, key: 42 });
    expect(decodeCursor("!!!").ok).toBe(false);
    expect(decodeCursor(Buffer.from('{"a":1}').toString("base64url")).ok).toBe(false);
  });

  test("Go durations for CrowdSec bouncers", () => {
    expect(goDuration(3_600_000)).toBe("1h0m0s");
    expect(goDuration(3_599_961)).toBe("0h59m59.961s");
    expect(goDuration(-1500)).toBe("-0h0m1.5s");
  });

  test("an export pulls one page at a time and closes a JSON array", async () => {
    const pages = [['{"a":1}', '{"a":2}'], ['{"a":3}']];
    let pulls = 0;
    const s = exportStream<number>({ format: "json", page: (after) => ({ lines: pages[(pulls++, after ?? 0)] ?? [], last: after === undefined ? 1 : undefined }) });
    expect(JSON.parse(await new Response(s).text())).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(pulls).toBe(2);
  });
});
