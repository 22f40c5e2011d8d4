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

describe("TableReader on another service's table", () => {
  test("newest first, filters only on columns the table has, JSON and blobs decoded, missing file empty", async () => {
    const { Database } = await import("bun:sqlite");
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { OwnerDb } = await import("./owner-db.ts");
    const { TableReader } = await import("./table-reader.ts");
    const dir = mkdtempSync(join(tmpdir(), "hm-tr-"));
    try {
      const missing = new TableReader(new OwnerDb(join(dir, "nope.sqlite")), "sessions");
      expect(missing.page({ equals: {} }, 10)).toEqual([]);
      const db = new Database(join(dir, "t.sqlite"));
      db.exec("CREATE TABLE sessions (seq INTEGER PRIMARY KEY AUTOINCREMENT, service TEXT, src TEXT, started_at INTEGER, commands TEXT, payload BLOB)");
      const ins = db.prepare("INSERT INTO sessions (service, src, started_at, commands, payload) VALUES (?, ?, ?, ?, ?)");
      ins.run("ssh", "198.51.100.1", 1000, '["uname -a"]', new Uint8Array([1, 2, 3]));
      ins.run("http", "198.51.100.2", 2000, "[]", new Uint8Array());
      ins.run("ssh", "198.51.100.3", 3000, "[]", new Uint8Array());
      db.close();
      const r = new TableReader(new OwnerDb(join(dir, "t.sqlite")), "sessions");
      const all = r.page({ equals: {} }, 10);
      expect(all.map((x) => x.row.src)).toEqual(["198.51.100.3", "198.51.100.2", "198.51.100.1"]);
      expect(all[2]!.row).toMatchObject({ commands: ["uname -a"], payload_b64: "AQID" });
      expect(r.page({ equals: { service: "ssh" } }, 10).length).toBe(2);
      expect(r.page({ equals: {}, since: 2000 }, 10).length).toBe(2);
      expect(r.page({ equals: {}, before: all[0]!.rowid }, 1)[0]!.row.src).toBe("198.51.100.2");
      expect(r.page({ equals: { nosuch: "x" } }, 10)).toEqual([]);
      expect(r.count("service")).toEqual({ total: 3, groups: { ssh: 2, http: 1 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
