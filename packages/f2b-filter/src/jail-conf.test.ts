import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { F2bFilterError } from "./errors.ts";
import { readJailConf } from "./jail-conf.ts";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "f2b-jailconf-"));
  made.push(d);
  for (const [n, t] of Object.entries(files)) {
    mkdirSync(dirname(join(d, n)), { recursive: true });
    writeFileSync(join(d, n), t);
  }
  return d;
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof F2bFilterError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "no error";
}

describe("readJailConf", () => {
  test("Fail2Ban's file order, includes with their .local, [DEFAULT] inheritance, interpolation, multi-line values", () => {
    const d = tree({
      "jail.conf": "[INCLUDES]\nbefore = paths.conf\n[DEFAULT]\nenabled = false\nbantime = 10m\nlogpath = %(x_log)s\n[x]\nport = ssh\n[y]\nlogpath = /a.log\n          %(x_log)s\n",
      "paths.conf": "[DEFAULT]\nx_log = /var/log/x.log\n",
      "paths.local": "[DEFAULT]\nx_log = /var/log/x-local.log\n",
      "jail.d/b.conf": "[x]\nenabled = true\nbantime = 1h\n",
      "jail.d/a.conf": "[x]\nbantime = 30m\n",
      "jail.local": "[x]\nbantime = 2h\n[DEFAULT]\nbantime.increment = true\n",
      "jail.d/a.local": "[y]\nenabled = yes\n[x]\nport = %(known/port)s,2222\n",
    });
    const c = readJailConf(d);
    expect(c.files.map((f) => f.slice(d.length + 1))).toEqual(["paths.conf", "paths.local", "jail.conf", "jail.d/a.conf", "jail.d/b.conf", "jail.local", "jail.d/a.local"]);
    expect(c.jails.map((j) => j.name)).toEqual(["x", "y"]);
    expect(c.get("x", "enabled")).toBe("true");
    expect(c.get("x", "bantime")).toBe("2h"); // jail.local after jail.d/*.conf
    expect(c.get("x", "logpath")).toBe("/var/log/x-local.log");
    expect(c.get("y", "logpath")).toBe("/a.log\n/var/log/x-local.log");
    expect(c.get("x", "port")).toBe("ssh,2222");
    expect(c.get("y", "bantime")).toBe("10m");
    expect(c.where("x", "bantime")).toBe(`${d}/jail.local:2`);
    expect(c.jails.find((j) => j.name === "x")?.own.sort()).toEqual(["bantime", "enabled", "port"]);
    expect(c.operatorDefaults).toEqual(["x_log", "bantime.increment"]); // paths.local is the operator's, not stock
    expect(c.variables.has("x_log")).toBe(true);
  });

  test("%(__name__)s is the jail's name, as in Fail2Ban's default filter", () => {
    const d = tree({ "jail.conf": "[DEFAULT]\nmode = normal\nfilter = %(__name__)s[mode=%(mode)s]\n[nginx-http-auth]\nenabled = true\n" });
    expect(readJailConf(d).get("nginx-http-auth", "filter")).toBe("nginx-http-auth[mode=normal]");
  });

  test("an undefined %(name)s is an error naming it, raised only when that option is asked for", () => {
    const d = tree({ "jail.conf": "[x]\nenabled = true\naction = %(nope)s\n" });
    const c = readJailConf(d);
    expect(c.get("x", "enabled")).toBe("true");
    expect(code(() => c.get("x", "action"))).toContain("%(nope)s");
  });

  test("an include loop is an error naming the chain; a missing include is skipped", () => {
    const d = tree({ "jail.conf": "[INCLUDES]\nbefore = a.conf\n         gone.conf\n[x]\nenabled = true\n", "a.conf": "[INCLUDES]\nafter = b.conf\n", "b.conf": "[INCLUDES]\nbefore = jail.conf\n" });
    const err = code(() => readJailConf(d));
    expect(err).toStartWith("F2B_INCLUDE_LOOP");
    expect(err).toContain("jail.conf → ");
    expect(err).toContain("b.conf → ");
    const ok = tree({ "jail.conf": "[INCLUDES]\nbefore = gone.conf\n[x]\nenabled = true\n" });
    expect(readJailConf(ok).files).toEqual([join(ok, "jail.conf")]);
  });

  test("a missing or empty directory is a clear error", () => {
    expect(code(() => readJailConf("/nonexistent/f2b"))).toBe("F2B_NOT_FOUND: Fail2Ban directory /nonexistent/f2b: does not exist");
    expect(code(() => readJailConf(tree({ "other.conf": "[x]\n" })))).toContain("holds no jail.conf, jail.local or jail.d/*.conf");
    expect(code(() => readJailConf(join(tree({ "jail.conf": "" }), "jail.conf")))).toContain("is not a directory");
  });

  test("hostile input: big files, too many files, include fan-out, expansion bombs, bad syntax", () => {
    const big = tree({ "jail.conf": `[x]\nenabled = true\nport = ${"9".repeat(1 << 20)}\n` });
    expect(code(() => readJailConf(big))).toStartWith("F2B_LIMIT");
    const many: Record<string, string> = { "jail.conf": "[x]\nenabled = true\n" };
    for (let i = 0; i < 300; i++) many[`jail.d/j${i}.conf`] = `[j${i}]\n`;
    expect(code(() => readJailConf(tree(many)))).toStartWith("F2B_LIMIT");
    // each file includes the next one twice: 2^20 reads without a count of reads
    const fan: Record<string, string> = { "jail.conf": "[INCLUDES]\nbefore = f0.conf\n         f0.conf\n[x]\nenabled = true\n" };
    for (let i = 0; i < 20; i++) fan[`f${i}.conf`] = `[INCLUDES]\nbefore = f${i + 1}.conf\n         f${i + 1}.conf\n`;
    expect(code(() => readJailConf(tree(fan)))).toStartWith("F2B_LIMIT");
    const bomb = ["[DEFAULT]", "v0 = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"];
    for (let i = 1; i < 20; i++) bomb.push(`v${i} = %(v${i - 1})s%(v${i - 1})s`);
    const c = readJailConf(tree({ "jail.conf": `${bomb.join("\n")}\n[x]\nenabled = true\nport = %(v19)s\n` }));
    expect(code(() => c.get("x", "port"))).toContain("expands to more than");
    expect(code(() => readJailConf(tree({ "jail.conf": "enabled = true\n" })))).toContain("outside of any [section]");
  });
});
