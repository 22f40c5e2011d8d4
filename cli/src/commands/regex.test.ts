import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAIN = join(import.meta.dir, "..", "main.ts");

function run(...args: string[]) {
  const p = Bun.spawnSync(["bun", MAIN, "regex", ...args], { stdout: "pipe", stderr: "pipe" });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

test("honeymesh regex --json counts matched, ignored and missed lines with 1-based numbers", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-regex-"));
  const log = join(dir, "auth.log");
  writeFileSync(
    log,
    [
      "Nov 30 10:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2",
      "unrelated",
      "Nov 30 10:00:02 h sshd-session[2]: Invalid user x from 2001:db8::7 port 2",
    ].join("\n"),
  );
  const r = run(log, "sshd", "--json");
  expect(r.code).toBe(0);
  const j = JSON.parse(r.out);
  expect(j.matched.map((m: { line: number; host: string }) => [m.line, m.host])).toEqual([
    [1, "192.0.2.1"],
    [3, "2001:db8::7"],
  ]);
  expect(new Date(j.matched[0].time).getUTCSeconds()).toBe(1);
  expect(j.missed).toEqual([{ line: 2 }]);
  expect(j.ignored).toEqual([]);
  const conf = join(dir, "f.conf");
  writeFileSync(conf, "[Definition]\nfailregex = ^bad <HOST>$\nignoreregex = ^bad 10\\.\n");
  writeFileSync(log, "bad 192.0.2.3\nbad 10.0.0.1\n");
  expect(JSON.parse(run(log, conf, "--json").out)).toEqual({ matched: [{ line: 1, host: "192.0.2.3" }], ignored: [{ line: 2 }], missed: [] });
});

test("honeymesh regex takes a single line and a bare failregex; a bad filter exits 2 naming it", () => {
  expect(run("login failed from 198.51.100.4", "from <HOST>$").out).toContain("matched: 1");
  const bad = run("x", "/nonexistent/filter.conf");
  expect(bad.code).toBe(2);
  expect(bad.err).toContain("/nonexistent/filter.conf");
});
