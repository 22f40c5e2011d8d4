import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { F2bFilterError } from "./errors.ts";
import { Filter } from "./filter.ts";
import { parseFilterSpec, readFilter } from "./reader.ts";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "f2b-reader-"));
  made.push(d);
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
}

describe("readFilter", () => {
  test("includes, [DEFAULT] interpolation, known/, .local and multi-line failregex", () => {
    const d = dir({
      "common.conf": "[DEFAULT]\n_daemon = \\S*\n__prefix = %(_daemon)s\\[\\d+\\]:\n",
      "x.conf": [
        "[INCLUDES]",
        "before = common.conf",
        "[DEFAULT]",
        "_daemon = xd",
        "[Definition]",
        "# a comment",
        "failregex = ^%(__prefix)s bad from <HOST>$",
        "            ^%(__prefix)s worse from <HOST> ; inline comment",
        "ignoreregex =",
        "",
      ].join("\n"),
      "x.local": "[Definition]\nfailregex = %(known/failregex)s\n            ^extra <HOST>$\n",
    });
    const def = readFilter(join(d, "x.conf"));
    expect(def.failregex.map((r) => r.text)).toEqual([
      "^xd\\[\\d+\\]: bad from <HOST>$",
      "^xd\\[\\d+\\]: worse from <HOST>",
      "^extra <HOST>$",
    ]);
    expect(def.failregex[0]?.where).toContain("x.local");
    expect(def.ignoreregex).toEqual([]);
  });

  test("jail options select the mode's variables (<mdre-<mode>>)", () => {
    const d = dir({
      "m.conf": "[Definition]\nmode = normal\nmdre-normal = ^n <HOST>$\nmdre-aggressive = ^a <HOST>$\n            %(mdre-normal)s\nfailregex = <mdre-<mode>>\n",
    });
    expect(readFilter(join(d, "m.conf")).failregex.map((r) => r.text)).toEqual(["^n <HOST>$"]);
    const spec = parseFilterSpec("m[mode=aggressive]");
    expect(spec).toEqual({ name: "m", options: { mode: "aggressive" } });
    expect(readFilter(join(d, "m.conf"), { options: spec.options }).failregex.map((r) => r.text)).toEqual(["^a <HOST>$", "^n <HOST>$"]);
  });

  test("an undefined %(name)s is refused naming the file", () => {
    const d = dir({ "u.conf": "[Definition]\nfailregex = %(nope)s <HOST>\n" });
    expect(() => readFilter(join(d, "u.conf"))).toThrow(/u\.conf.*%\(nope\)s/);
  });

  test("a regex without a failure id is refused naming file and line", () => {
    const d = dir({ "n.conf": "[Definition]\n\nfailregex = ^nothing here$\n" });
    try {
      new Filter(readFilter(join(d, "n.conf")));
      throw new Error("expected a refusal");
    } catch (e) {
      expect(e).toBeInstanceOf(F2bFilterError);
      expect((e as Error).message).toMatch(/n\.conf:3 failregex\[0\]: no failure-id/);
    }
  });
});

describe("Filter", () => {
  test("prefregex <F-CONTENT>, <F-USER>, ignoreregex, dates cut out, DNS names are not addresses", () => {
    const d = dir({
      "p.conf": [
        "[Definition]",
        "prefregex = ^\\s*\\S+ app: <F-CONTENT>.+</F-CONTENT>$",
        "failregex = ^login failed for <F-USER>\\S+</F-USER> from <HOST>$",
        "ignoreregex = for trusted ",
      ].join("\n"),
    });
    const f = new Filter(readFilter(join(d, "p.conf")));
    const now = Date.UTC(2025, 5, 1);
    const v = f.processLine("2025-03-04 05:06:07 srv app: login failed for root from 192.0.2.9", { now });
    expect(v.kind).toBe("failure");
    if (v.kind !== "failure") return;
    expect(v.address).toBe("192.0.2.9");
    expect(v.groups.user).toBe("root");
    expect(v.time).toBe(new Date(2025, 2, 4, 5, 6, 7).getTime());
    expect(f.processLine("2025-03-04 05:06:08 srv app: login failed for trusted from 192.0.2.9").kind).toBe("ignored");
    const dns = f.processLine("2025-03-04 05:06:09 srv app: login failed for bob from evil.example.org");
    expect(dns.kind === "failure" && dns.address).toBe(null);
    expect(f.processLine("2025-03-04 05:06:10 srv other: login failed for bob from 192.0.2.9").kind).toBe("miss");
  });

  test("maxlines joins lines; a match consumes them", () => {
    const d = dir({ "ml.conf": "[Definition]\nmaxlines = 2\ndatepattern = {NONE}\nfailregex = ^user (?P<fid>\\w+) begins\\n.*from <HOST>$\n" });
    const f = new Filter(readFilter(join(d, "ml.conf")));
    expect(f.processLine("user ann begins").kind).toBe("miss");
    const v = f.processLine("then from 198.51.100.1");
    expect(v.kind === "failure" && v.address).toBe("198.51.100.1");
    expect(f.processLine("then from 198.51.100.1").kind).toBe("miss");
  });
});

test("a filter path naming a device or a huge file is refused with a clear error, not read", () => {
  expect(() => readFilter("/dev/zero")).toThrow(/not a regular file/);
  const d = dir({ "big.conf": `[Definition]\nfailregex = ^x <HOST>$\n# ${"x".repeat(1_100_000)}\n` });
  expect(() => readFilter(join(d, "big.conf"))).toThrow(/more than the 1048576 accepted/);
});
