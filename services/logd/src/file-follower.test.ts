import { afterEach, describe, expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import * as schema from "@honeymesh/tables/logd";
import { FileFollower } from "./file-follower.ts";
import { Jail, type JailFired } from "./jail.ts";
import { LogdStore, type Position } from "./logd-store.ts";
import { FileSource } from "./source.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "logd-follow-"));
  dirs.push(d);
  return d;
}

function collect(path: string, saved?: Position) {
  const seen: string[] = [];
  let last: Position | undefined;
  const f = new FileFollower(path, saved, (lines, pos) => {
    seen.push(...lines);
    last = pos;
  });
  return { f, seen, pos: () => last };
}

describe("FileFollower", () => {
  test("rename rotation: the old file is read to its end, then the new one from the start", () => {
    const d = tmp();
    const p = join(d, "auth.log");
    writeFileSync(p, "a1\na2\n");
    const c = collect(p);
    c.f.step();
    appendFileSync(p, "a3\n");
    renameSync(p, `${p}.1`);
    appendFileSync(`${p}.1`, "a4\n"); // the logger still writes to its open file
    writeFileSync(p, "b1\n");
    c.f.step();
    appendFileSync(p, "b2\n");
    c.f.step();
    expect(c.seen).toEqual(["a1", "a2", "a3", "a4", "b1", "b2"]);
  });

  test("copytruncate: shrunk, or truncated and refilled past our offset, reads from 0", () => {
    const d = tmp();
    const p = join(d, "x.log");
    writeFileSync(p, "one\ntwo\n");
    const c = collect(p);
    c.f.step();
    truncateSync(p, 0);
    appendFileSync(p, "3\n");
    c.f.step();
    truncateSync(p, 0);
    appendFileSync(p, "a much longer line than before\nand another\n");
    c.f.step();
    expect(c.seen).toEqual(["one", "two", "3", "a much longer line than before", "and another"]);
  });

  test("a file that appears after start, and a line without its newline waits", () => {
    const d = tmp();
    const p = join(d, "late.log");
    const c = collect(p);
    expect(c.f.step()).toBe(0);
    writeFileSync(p, "first\nhalf");
    c.f.step();
    expect(c.seen).toEqual(["first"]);
    appendFileSync(p, " done\n");
    c.f.step();
    expect(c.seen).toEqual(["first", "half done"]);
  });

  test("a saved position resumes; a replaced file (hash differs) is read from 0", () => {
    const d = tmp();
    const p = join(d, "r.log");
    writeFileSync(p, "l1\nl2\n");
    const c = collect(p);
    c.f.step();
    c.f.close();
    appendFileSync(p, "l3\n");
    const c2 = collect(p, c.pos());
    c2.f.step();
    expect(c2.seen).toEqual(["l3"]);
    const saved = c2.pos()!;
    c2.f.close();
    writeFileSync(p, "x1\nx2\nx3\n"); // same inode, same length, other content
    const c3 = collect(p, saved);
    c3.f.step();
    expect(c3.seen).toEqual(["x1", "x2", "x3"]);
  });
});

test("rotated while not running: the rest of the old file (now .1) first, then the new file", () => {
  const d = tmp();
  const p = join(d, "auth.log");
  writeFileSync(p, "o1\n");
  const c = collect(p);
  c.f.step();
  c.f.close();
  appendFileSync(p, "o2\n");
  renameSync(p, `${p}.1`);
  writeFileSync(p, "n1\n");
  const c2 = collect(p, c.pos());
  c2.f.step();
  expect(c2.seen).toEqual(["o2", "n1"]);
});

describe("FileSource with a jail and logd's SQLite", () => {
  const line = (i: number, ip: string) => `Nov 30 10:00:${String(i).padStart(2, "0")} host sshd[${100 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2\n`;

  function open(d: string) {
    const store = new LogdStore(openStore({ path: join(d, "logd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "drizzle") }));
    const jail = new Jail({ name: "sshd", maxretry: 5, findtime_s: 600, bantime_s: 600, ignore: (a) => a === "192.0.2.99" }, loadFilter("sshd"));
    const now = () => new Date(2026, 10, 30, 10, 0, 30).getTime();
    jail.restore(store.recent(now() - 600_000), now());
    const fired: JailFired[] = [];
    return { store, jail, fired, src: (p: string) => new FileSource(p, [jail], store, (f) => fired.push(f), now) };
  }

  test("a restart in the middle of a burst: no line lost, none counted twice", () => {
    const d = tmp();
    const p = join(d, "auth.log");
    writeFileSync(p, line(1, "203.0.113.9") + line(2, "203.0.113.9") + line(3, "192.0.2.99") + line(3, "203.0.113.9"));
    const a = open(d);
    const s1 = a.src(p);
    s1.step();
    expect(a.jail.failures).toBe(3);
    s1.close();
    a.store.close();
    // while logd is down, two more attempts arrive
    appendFileSync(p, line(4, "203.0.113.9"));
    const b = open(d);
    const s2 = b.src(p);
    s2.step();
    expect(b.jail.failures).toBe(1); // only the new line was read
    expect(b.fired).toEqual([]);
    appendFileSync(p, line(5, "203.0.113.9") + line(6, "203.0.113.9"));
    s2.step();
    expect(b.fired.length).toBe(1);
    expect(b.fired[0]).toMatchObject({ jail: "sshd", address: "203.0.113.9", count: 5 });
    expect(b.fired[0]?.summary).toBe("sshd: 5 failures for root in 4 s");
    // the sixth starts a new window
    expect(b.store.recent(0).filter((r) => r.address === "203.0.113.9").length).toBe(1);
    s2.close();
    b.store.close();
  });
});

test("a file logd never read: its old failures are history, new lines count", () => {
  const d = tmp();
  const p = join(d, "old.log");
  const stamp = (t: Date) => `${t.toLocaleString("en-US", { month: "short" })} ${String(t.getDate()).padStart(2, " ")} ${t.toTimeString().slice(0, 8)}`;
  const old = new Date(Date.now() - 3 * 3_600_000);
  const fail = (t: Date, i: number) => `${stamp(t)} host sshd[${i}]: Failed password for root from 203.0.113.44 port ${i} ssh2\n`;
  writeFileSync(p, [1, 2, 3, 4, 5].map((i) => fail(old, i)).join(""));
  const store = new LogdStore(openStore({ path: join(d, "logd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "drizzle") }));
  const jail = new Jail({ name: "sshd", maxretry: 2, findtime_s: 600, bantime_s: 600, ignore: () => false }, loadFilter("sshd"));
  const fired: JailFired[] = [];
  const src = new FileSource(p, [jail], store, (f) => fired.push(f));
  src.step();
  expect(jail.stale).toBe(5);
  expect(fired).toEqual([]);
  appendFileSync(p, fail(new Date(), 6) + fail(new Date(), 7));
  src.step();
  expect(fired.map((f) => f.count)).toEqual([2]);
  src.close();
  store.close();
});
