// `honeymesh jails import` as an operator runs it: the real entry point as a process, on this
// machine's Fail2Ban configuration and on copies of it; the output goes through `config check`.
import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const MAIN = resolve(import.meta.dir, "..", "main.ts");
const tmp = mkdtempSync(join(tmpdir(), "hm-jails-import-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const p = Bun.spawnSync([process.execPath, MAIN, ...args], { cwd: tmp, stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH } });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

/** The imported sections in a config file of their own, checked like a service would load it. */
function configCheck(toml: string, name: string) {
  const path = join(tmp, `${name}.toml`);
  writeFileSync(path, `[node]\nstate_dir = ${JSON.stringify(join(tmp, "state"))}\n\n${toml}`);
  return cli("config", "check", "--config", path);
}

test("the default /etc/fail2ban: Debian's sshd jail, accepted by config check", () => {
  const r = cli("jails", "import");
  expect(r.code).toBe(0);
  expect(r.out).toContain("[jails.sshd]\nenabled = true\n");
  expect(r.out).toContain('logpath = ["/var/log/auth.log"]');
  expect(r.out.match(/^\[jails\./gm)).toHaveLength(1);
  expect(r.err).toContain("1 jail(s) imported from /etc/fail2ban: sshd");
  const check = configCheck(r.out, "real");
  expect(check.err).toBe("");
  expect(check.code).toBe(0);
});

test("a jail.local on a copy: sections on stdout, what is not translated on stderr naming jail and key, -o json", () => {
  const d = join(tmp, "f2b");
  cpSync("/etc/fail2ban", d, { recursive: true });
  writeFileSync(join(d, "filter.d", "myapp.conf"), "[Definition]\nfailregex = ^auth failure from <HOST>$\n");
  writeFileSync(
    join(d, "jail.local"),
    "[sshd]\nbantime = 1h\nbantime.increment = true\n\n[nginx-http-auth]\nenabled = true\n\n[postfix]\nenabled = true\nbackend = systemd\n\n[myapp]\nenabled = true\nlogpath = /var/log/myapp.log\nignorecommand = /bin/true\n",
  );
  const r = cli("jails", "import", d);
  expect(r.code).toBe(0);
  for (const n of ["sshd", "nginx-http-auth", "postfix", "myapp"]) expect(r.out).toContain(`[jails.${n}]\n`);
  expect(r.out).toMatch(/\[jails\.postfix\]\nenabled = true\nfilter = "postfix\[mode=more\]"\nlogpath = \["journal"\]\n/);
  expect(r.out).toContain(`filter = ${JSON.stringify(join(d, "filter.d", "myapp.conf") + "[mode=normal]")}`);
  expect(r.err).toContain("jails import: [sshd] bantime.increment: not supported");
  expect(r.err).toContain("jails import: [myapp] ignorecommand: not supported");
  expect(r.out).toContain("# warning: bantime.increment: not supported");
  expect(configCheck(r.out, "local").code).toBe(0);
  // a relative DIR gives the same, absolute, filter paths (logd does not run in this directory)
  expect(cli("jails", "import", "f2b").out).toBe(r.out);
  const j = cli("jails", "import", d, "-o", "json");
  expect(j.code).toBe(0);
  const parsed = JSON.parse(j.out) as { jails: { name: string; config: { logpath: string[] } }[] };
  expect(parsed.jails.find((x) => x.name === "postfix")?.config.logpath).toEqual(["journal"]);
});

test("a missing directory, an include loop, nothing enabled: exit 1 with the reason; a stray argument: exit 2", () => {
  const missing = cli("jails", "import", join(tmp, "nope"));
  expect(missing.code).toBe(1);
  expect(missing.err).toContain("does not exist");
  expect(missing.out).toBe("");

  const loop = join(tmp, "loop");
  mkdirSync(loop);
  writeFileSync(join(loop, "jail.conf"), "[INCLUDES]\nbefore = paths.conf\n[sshd]\nenabled = true\n");
  writeFileSync(join(loop, "paths.conf"), "[INCLUDES]\nafter = jail.conf\n");
  const l = cli("jails", "import", loop);
  expect(l.code).toBe(1);
  expect(l.err).toContain(`include loop: ${join(loop, "jail.conf")} → ${join(loop, "paths.conf")} → ${join(loop, "jail.conf")}`);

  const none = join(tmp, "none");
  cpSync("/etc/fail2ban", none, { recursive: true });
  rmSync(join(none, "jail.d"), { recursive: true });
  const n = cli("jails", "import", none);
  expect(n.code).toBe(1);
  expect(n.err).toContain("no jail is enabled");
  expect(n.out).toBe("");

  expect(cli("jails", "import", "/a", "/b").code).toBe(2);
});
