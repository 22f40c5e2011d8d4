import { describe, expect, test } from "bun:test";
import { expandConditionals, translate } from "./pyregex.ts";

const js = (py: string) => {
  const t = translate(py, "t.conf:1");
  return new RegExp(t.source, t.flags);
};

describe("Python regex → JS", () => {
  test("named groups, backreferences, \\Z, {,n}, comments", () => {
    const re = js("^(?P<a>x+)-(?P=a)(?#c)y{,2}\\Z");
    expect(re.exec("xx-xxyy")?.groups?.a).toBe("xx");
    expect(re.test("xx-xyy")).toBe(false);
    expect(re.test("xx-xxyy\n")).toBe(false);
  });

  test("leading (?i) becomes a flag; mid-pattern (?i) applies to the rest of its group", () => {
    expect(js("(?i)abc").test("ABC")).toBe(true);
    const mid = js("a((?i)b)c");
    expect(mid.test("aBc")).toBe(true);
    expect(mid.test("aBC")).toBe(false);
    expect(js("x(?i)y").test("xY")).toBe(true);
  });

  test("atomic groups translate; possessive quantifiers and (?x) are refused naming the place", () => {
    expect(js("(?>a+)b").test("aaab")).toBe(true);
    expect(js("(?>a+)a").test("aaa")).toBe(false);
    expect(() => translate("a++b", "f.conf:7 failregex[2]")).toThrow(/f\.conf:7 failregex\[2\]: a possessive quantifier/);
    expect(() => translate("(?x) a b", "f.conf:1")).toThrow(/verbose mode/);
  });

  test("conditionals expand into set/unset variants (sshd's cond_inv/cond_user)", () => {
    const src = "^Failed (?P<cond_inv>invalid user )?(?P<u>(?P<cond_user>\\S+)|(?(cond_inv)(?:(?! from ).)*?|[^:]+)) from (?P<h>\\S+)(?(cond_user): |$)";
    const variants = expandConditionals(src, "t").map((v) => js(v));
    const run = (s: string) => {
      for (const r of variants) {
        const m = r.exec(s);
        if (m) return m.groups;
      }
      return null;
    };
    expect(run("Failed root from 1.2.3.4: ")?.u).toBe("root");
    expect(run("Failed invalid user a b from 1.2.3.4")?.u).toBe("a b");
    expect(run("Failed root from 1.2.3.4")?.u).toBe("root"); // the no-branch: [^:]+ then $
    expect(run("Failed root from 1.2.3.4 x")).toBe(null);
  });
});
