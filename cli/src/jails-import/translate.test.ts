// Fail2Ban's real configuration on this machine (Debian's fail2ban package, a --test dependency in
// scripts/setup.sh), as is and with an operator's jail.local on a copy, through the importer and
// back through HoneyMesh's own config loader.
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "@honeymesh/config/load";
import { readJailConf } from "@honeymesh/f2b-filter/jail-conf";
import { f2bSeconds, honeymeshDuration } from "./duration.ts";
import { renderToml, tomlString } from "./toml.ts";
import { importJails, type ImportResult } from "./translate.ts";

const BUILTIN = resolve(import.meta.dir, "../../../packages/f2b-filter/filter.d");
const tmp = mkdtempSync(join(tmpdir(), "hm-jails-import-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The TOML as honeymesh.toml, loaded by the config loader every service uses. */
function reload(r: ImportResult, name: string) {
  const path = join(tmp, `${name}.toml`);
  writeFileSync(path, renderToml(r));
  return loadConfig({ path, env: {}, defaultStateDir: join(tmp, "state") });
}

describe("Fail2Ban durations", () => {
  test("str2seconds forms, and the shortest spelling HoneyMesh accepts", () => {
    expect(f2bSeconds("600")).toBe(600);
    expect(f2bSeconds("10m")).toBe(600);
    expect(f2bSeconds("1h 30m")).toBe(5400);
    expect(f2bSeconds("1d12h")).toBe(129_600);
    expect(f2bSeconds("2 weeks")).toBe(1_209_600);
    expect(f2bSeconds("1mo")).toBe(2_629_800);
    expect(f2bSeconds("-1")).toBe(-1);
    expect(f2bSeconds("soon")).toBeNull();
    expect(f2bSeconds("10 parsecs")).toBeNull();
    expect(f2bSeconds("3600*24")).toBeNull();
    expect(honeymeshDuration(1_209_600)).toBe("14d");
    expect(honeymeshDuration(5400)).toBe("90m");
    expect(honeymeshDuration(61)).toBe(61);
  });
});

describe("jails import", () => {
  test("this machine's /etc/fail2ban: Debian enables only sshd, logpath from the paths files", () => {
    const conf = readJailConf("/etc/fail2ban");
    expect(conf.files).toContain("/etc/fail2ban/paths-debian.conf");
    const r = importJails(conf, BUILTIN);
    expect(r.jails.map((j) => j.name)).toEqual(["sshd"]);
    const sshd = r.jails[0]!;
    // jail.conf says logpath = %(sshd_log)s; paths-debian.conf includes paths-common.conf which says
    // sshd_log = %(syslog_authpriv)s = /var/log/auth.log
    expect(sshd.config.logpath).toEqual([conf.get("DEFAULT-unused", "syslog_authpriv")!]);
    expect(sshd.config.logpath).toEqual(["/var/log/auth.log"]);
    expect(sshd.config).toMatchObject({ enabled: true, filter: "sshd[mode=normal]", port: "ssh", maxretry: 5, findtime: "10m", bantime: "10m" });
    expect(sshd.from.some((f) => f.startsWith("/etc/fail2ban/jail.d/defaults-debian.conf:"))).toBe(true);
    expect(sshd.warnings).toEqual([]);
    const c = reload(r, "real");
    expect(Object.keys(c.jails)).toEqual(["sshd"]);
    expect(c.jails.sshd).toMatchObject({ enabled: true, filter: "sshd[mode=normal]", logpath: ["/var/log/auth.log"], port: "ssh" });
  });

  test("an operator's jail.local: systemd backend, growing bans, custom filters, ignoreip, permanent bans", () => {
    const d = join(tmp, "f2b");
    cpSync("/etc/fail2ban", d, { recursive: true });
    writeFileSync(join(d, "filter.d", "myapp.conf"), "[Definition]\nfailregex = ^bad login from <HOST>$\n");
    writeFileSync(join(tmp, "abs.conf"), "[Definition]\nfailregex = ^<mode> from <HOST>$\n");
    writeFileSync(
      join(d, "jail.local"),
      [
        "[DEFAULT]",
        "ignoreip = 127.0.0.1/8 ::1, 192.0.2.0/24 gateway.example",
        "[sshd]",
        "bantime = 1h",
        "findtime = 1h 30m",
        "bantime.increment = true",
        "bantime.maxtime = 5w",
        "action = %(action_mw)s",
        "[nginx-http-auth]",
        "enabled = true",
        "[postfix]",
        "enabled = true",
        "backend = systemd",
        "journalmatch = _SYSTEMD_UNIT=postfix@-.service",
        "               _SYSTEMD_UNIT=postfix.service",
        "[myapp]",
        "enabled = true",
        "filter = myapp",
        "logpath = /var/log/myapp/*.log",
        "          /var/log/myapp.log tail",
        "maxretry = 3",
        "bantime = -1",
        "usedns = no",
        "[abs]",
        "enabled = true",
        `filter = ${join(tmp, "abs.conf")}[mode=denied]`,
        "logpath = relative.log",
        "          /var/log/abs.log",
        "[nofilter]",
        "enabled = true",
        "filter = no-such-filter",
        "logpath = /var/log/x.log",
        "[weird name!]",
        "enabled = true",
        "",
      ].join("\n"),
    );
    const r = importJails(readJailConf(d), BUILTIN);
    const by = Object.fromEntries(r.jails.map((j) => [j.name, j]));
    expect(Object.keys(by).sort()).toEqual(["abs", "myapp", "nginx-http-auth", "postfix", "sshd"]);
    expect(r.skipped.map((s) => s.name).sort()).toEqual(["nofilter", "weird name!"]);
    expect(r.skipped.find((s) => s.name === "nofilter")?.reason).toContain("neither built into HoneyMesh nor in");

    const sshd = by.sshd!;
    expect(sshd.config).toMatchObject({ bantime: "1h", findtime: "90m", logpath: ["/var/log/auth.log"], ignoreip: ["127.0.0.0/8", "::1", "192.0.2.0/24"] });
    expect(sshd.warnings.join("\n")).toContain("bantime.increment: not supported");
    expect(sshd.warnings.join("\n")).toContain("bantime.maxtime: not supported");
    expect(sshd.warnings.join("\n")).toContain("action: not imported");
    expect(sshd.warnings.join("\n")).toContain("ignoreip: entry gateway.example");
    expect(sshd.notes.join("\n")).toContain("127.0.0.1/8 → 127.0.0.0/8");

    // nginx_error_log comes from paths-common.conf; the default filter is %(__name__)s[mode=%(mode)s]
    expect(by["nginx-http-auth"]!.config).toMatchObject({ enabled: true, filter: "nginx-http-auth[mode=normal]", logpath: ["/var/log/nginx/*error.log"], port: "http,https" });

    // jail.conf sets mode = more for postfix; systemd backend → the journal, matches ORed
    expect(by.postfix!.config).toMatchObject({ enabled: true, filter: "postfix[mode=more]", logpath: ["journal"], journalmatch: "_SYSTEMD_UNIT=postfix@-.service + _SYSTEMD_UNIT=postfix.service" });

    const myapp = by.myapp!;
    expect(myapp.config).toMatchObject({ enabled: true, filter: join(d, "filter.d", "myapp.conf"), logpath: ["/var/log/myapp/*.log", "/var/log/myapp.log"], maxretry: 3, bantime: "365d" });
    expect(myapp.warnings.join("\n")).toContain("bantime: -1 (permanent)");
    expect(myapp.warnings.join("\n")).toContain("usedns: not supported");

    expect(by.abs!.config).toMatchObject({ filter: `${join(tmp, "abs.conf")}[mode=denied]`, logpath: ["/var/log/abs.log"] });
    expect(by.abs!.warnings.join("\n")).toContain("relative.log is not an absolute path");

    const c = reload(r, "local");
    expect(Object.keys(c.jails).sort()).toEqual(["abs", "myapp", "nginx-http-auth", "postfix", "sshd"]);
    for (const j of r.jails) expect(c.jails[j.name], j.name).toMatchObject(JSON.parse(JSON.stringify(j.config)));
  });

  test("a filter HoneyMesh cannot load is imported disabled, with the reason", () => {
    const d = join(tmp, "badfilter");
    cpSync("/etc/fail2ban", d, { recursive: true });
    writeFileSync(join(d, "filter.d", "broken.conf"), "[Definition]\nfailregex = ^(?P<x>unclosed <HOST>\n");
    writeFileSync(join(d, "jail.local"), "[broken]\nenabled = true\nlogpath = /var/log/b.log\n");
    const r = importJails(readJailConf(d), BUILTIN);
    const b = r.jails.find((j) => j.name === "broken")!;
    expect(b.config.enabled).toBe(false);
    expect(b.warnings.join("\n")).toContain("HoneyMesh cannot load");
    expect(reload(r, "broken").jails.broken?.enabled).toBe(false);
  });

  test("a jail whose enabled cannot be interpolated is reported, not dropped", () => {
    const d = join(tmp, "undef");
    cpSync("/etc/fail2ban", d, { recursive: true });
    writeFileSync(join(d, "jail.local"), "[odd]\nenabled = %(not_defined)s\n");
    const r = importJails(readJailConf(d), BUILTIN);
    expect(r.jails.map((j) => j.name)).toEqual(["sshd"]);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]?.name).toBe("odd");
    expect(r.skipped[0]?.reason).toContain("enabled: ");
    expect(r.skipped[0]?.reason).toContain("%(not_defined)s");
  });

  test("hostile values cannot break out of the TOML", () => {
    const d = join(tmp, "hostile");
    cpSync("/etc/fail2ban", d, { recursive: true });
    writeFileSync(join(d, "jail.local"), '[evil]\nenabled = true\nfilter = sshd\nlogpath = /var/log/a"\\\x7f]\nport = 1"\n[jails.x]\nx = y\n');
    const r = importJails(readJailConf(d), BUILTIN);
    const c = reload(r, "hostile");
    expect(c.jails.evil?.logpath).toEqual(['/var/log/a"\\\x7f]']);
    expect(c.jails.evil?.port).toBe('1"');
    expect(tomlString("\x7f")).toBe('"\\u007F"');
  });
});
