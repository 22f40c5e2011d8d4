import { afterEach, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import * as schema from "@honeymesh/tables/logd";
import { Jail, type JailFired } from "./jail.ts";
import { journalArgs, journalLine, JournalSource, readMachineId } from "./journal-source.ts";
import { LogdStore } from "./logd-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test("journal entries become Fail2Ban's journal lines; hostile JSON is dropped", () => {
  const e = journalLine(JSON.stringify({ __CURSOR: "s=1", __REALTIME_TIMESTAMP: "1700000000123456", _HOSTNAME: "h", SYSLOG_IDENTIFIER: "sshd-session", _PID: "42", MESSAGE: "Failed password for root from 192.0.2.1 port 1 ssh2" }));
  expect(e).toEqual({ cursor: "s=1", time: 1700000000123, line: "h sshd-session[42]: Failed password for root from 192.0.2.1 port 1 ssh2" });
  expect(journalLine(JSON.stringify({ __CURSOR: "c", MESSAGE: [104, 105] }))?.line).toBe(" : hi");
  expect(journalLine("{not json")).toBe(null);
  expect(journalLine(JSON.stringify({ MESSAGE: "no cursor" }))).toBe(null);
  expect(journalArgs(["_SYSTEMD_UNIT=sshd.service + _COMM=sshd"], undefined)).toEqual(["journalctl", "--follow", "--output=json", "--no-pager", "--quiet", "--lines=0", "_SYSTEMD_UNIT=sshd.service", "+", "_COMM=sshd"]);
  expect(journalArgs([], "s=9")).toContain("--after-cursor=s=9");
});

test("with the machine id: --merge (no implied current-boot filter) and this machine only, in every OR group", () => {
  const id = "0123456789abcdef0123456789abcdef";
  const m = `_MACHINE_ID=${id}`;
  expect(journalArgs(["_SYSTEMD_UNIT=sshd.service + _COMM=sshd"], undefined, "journalctl", id)).toEqual(["journalctl", "--follow", "--output=json", "--no-pager", "--quiet", "--merge", "--lines=0", "_SYSTEMD_UNIT=sshd.service", m, "+", "_COMM=sshd", m]);
  // Fail2Ban ORs separate journalmatch entries (filtersystemd.addJournalMatch: add_disjunction)
  expect(journalArgs(["_COMM=a _PID=1", "_COMM=b"], "s=1", "journalctl", id).slice(5)).toEqual(["--merge", "--after-cursor=s=1", "_COMM=a", "_PID=1", m, "+", "_COMM=b", m]);
  expect(journalArgs([], undefined, "journalctl", id).slice(6)).toEqual(["--lines=0", m]);
  expect(journalArgs(["+ _COMM=a +"], undefined, "journalctl").slice(5)).toEqual(["--lines=0", "_COMM=a"]);
  // the first start (no cursor): from a findtime back, not the tail
  expect(journalArgs([], undefined, "journalctl", id, 1700000000.7).slice(5)).toEqual(["--merge", "--since=@1700000000", m]);
  expect(journalArgs([], "s=2", "journalctl", id, 1700000000).slice(5)).toEqual(["--merge", "--after-cursor=s=2", m]);
});

test("machine-id: 32 hex digits or nothing", () => {
  const d = mkdtempSync(join(tmpdir(), "logd-mid-"));
  dirs.push(d);
  writeFileSync(join(d, "ok"), "0123456789abcdef0123456789abcdef\n");
  writeFileSync(join(d, "bad"), "uninitialized\n");
  expect(readMachineId(join(d, "ok"))).toBe("0123456789abcdef0123456789abcdef");
  expect(readMachineId(join(d, "bad"))).toBeUndefined();
  expect(readMachineId(join(d, "missing"))).toBeUndefined();
});

test("a journal entry older than findtime is history, a recent one counts with its own time", () => {
  const d = mkdtempSync(join(tmpdir(), "logd-journal-"));
  dirs.push(d);
  const store = new LogdStore(openStore({ path: join(d, "logd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "drizzle") }));
  const jail = new Jail({ name: "sshd", maxretry: 2, findtime_s: 600, bantime_s: 60, ignore: () => false }, loadFilter("sshd[logtype=journal]"));
  const fired: JailFired[] = [];
  const src = new JournalSource(jail, [], store, (f) => fired.push(f), "false");
  const now = Date.now();
  const line = (port: number) => `h sshd[1]: Failed password for root from 198.51.100.9 port ${port} ssh2`;
  src.batch([{ cursor: "1", time: now - 3_600_000, line: line(1) }], now);
  expect([jail.failures, jail.stale]).toEqual([0, 1]);
  src.batch([{ cursor: "2", time: now - 5_000, line: line(2) }, { cursor: "3", time: now - 1_000, line: line(3) }], now);
  expect(fired.map((f) => [f.count, f.first_at, f.last_at])).toEqual([[2, now - 5_000, now - 1_000]]);
  expect(store.position("journal:sshd")?.lastLineHash).toBe("3");
  store.close();
});

test("journalctl --follow with a persisted cursor: a restart resumes after the last entry handled", async () => {
  const d = mkdtempSync(join(tmpdir(), "logd-journal-"));
  dirs.push(d);
  const entries = join(d, "entries");
  const fake = join(d, "journalctl");
  // a stand-in journalctl: prints the entries after --after-cursor=N (all with --lines=0 only when told), then follows forever
  writeFileSync(
    fake,
    `#!/bin/bash\nafter=0\nfor a in "$@"; do case "$a" in --after-cursor=*) after="\${a#--after-cursor=}";; esac; done\nawk -v a="$after" -F'"__CURSOR":"' '{ split($2, c, "\\""); if (c[1] + 0 > a + 0) print }' "${entries}"\nexec sleep 3600\n`,
  );
  chmodSync(fake, 0o755);
  const entry = (n: number, ip: string) =>
    JSON.stringify({ __CURSOR: String(n), __REALTIME_TIMESTAMP: String(Date.now() * 1000), _HOSTNAME: "h", SYSLOG_IDENTIFIER: "sshd", _PID: String(n), MESSAGE: `Failed password for root from ${ip} port ${n} ssh2` });
  writeFileSync(entries, `${[1, 2].map((n) => entry(n, "198.51.100.3")).join("\n")}\n`);
  const run = async (expectLines: number) => {
    const store = new LogdStore(openStore({ path: join(d, "logd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "drizzle") }));
    const jail = new Jail({ name: "sshd", maxretry: 3, findtime_s: 600, bantime_s: 60, ignore: () => false }, loadFilter("sshd[logtype=journal]"));
    jail.restore(store.recent(Date.now() - 600_000), Date.now());
    const fired: JailFired[] = [];
    const src = new JournalSource(jail, [], store, (f) => fired.push(f), fake);
    src.start();
    const deadline = Date.now() + 10_000;
    while (src.lines < expectLines && Date.now() < deadline) await Bun.sleep(20);
    src.stop();
    store.close();
    return { lines: src.lines, failures: jail.failures, fired };
  };
  const first = await run(2);
  expect(first).toEqual({ lines: 2, failures: 2, fired: [] });
  writeFileSync(entries, `${[1, 2, 3].map((n) => entry(n, "198.51.100.3")).join("\n")}\n`);
  const second = await run(1);
  expect(second.lines).toBe(1); // entries 1 and 2 were not read again
  expect(second.fired.map((f) => [f.address, f.count])).toEqual([["198.51.100.3", 3]]);
});
