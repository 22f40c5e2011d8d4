import { describe, expect, test } from "bun:test";
import { sh } from "./namespaces.ts";
import { createNetnsPair } from "./netns-pair.ts";

const root = process.getuid?.() === 0;

describe("createNetnsPair tag", () => {
  test("a tag outside 1-10 lowercase letters or digits is refused before anything is made", () => {
    for (const bad of ["", "Bruteforce", "brute-force", "abcdefghijk"]) expect(() => createNetnsPair(bad)).toThrow(/tag/);
  });

  test.skipIf(!root)("a tagged pair carries the tag in every name, fits IFNAMSIZ, and destroy() removes it", async () => {
    const pair = createNetnsPair("bruteforce");
    try {
      for (const h of [pair.victim, pair.attacker]) {
        expect(h.ns).toContain("bruteforce");
        expect(h.ifname).toContain("bruteforce");
        expect(h.ifname.length).toBeLessThanOrEqual(15);
      }
      expect(sh(["ip", "netns", "list"]).stdout).toContain(pair.victim.ns);
      const ping = await pair.run("attacker", ["ping", "-c", "1", "-W", "2", pair.victim.v4]);
      expect(ping.code).toBe(0);
    } finally {
      pair.destroy();
    }
    expect(sh(["ip", "netns", "list"]).stdout).not.toContain(pair.victim.ns);
  });
});
