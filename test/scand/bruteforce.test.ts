import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { kernelSkipReason, pingOk } from "../kernel/harness.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import type { NetnsPair } from "../support/netns.ts";
import type { NsNode } from "../support/ns-node.ts";

const skip = kernelSkipReason() ?? (Bun.which("sshpass") ? undefined : "sshpass is not installed (scripts/setup.sh installs it)");

describe.skipIf(Boolean(skip))("SSH brute force with the real ssh client → TRAP + BRUTEFORCE → dropped", () => {
  let pair: NetnsPair;
  let node: NsNode;
  let en: EnforcingNode;

  beforeAll(async () => {
    en = await startEnforcingNode({
      services: ["enforcerd", "scand", "trapd"],
      env: () => ({ HONEYMESH_TRAPS_AUTH_DELAY_MS: "50", HONEYMESH_SCAN_BRUTEFORCE_ATTEMPTS: "4" }),
    });
    ({ pair, node } = en);
  });
  afterAll(() => en?.stop());

  test("six passwords over ssh ban the attacker for TRAP and BRUTEFORCE, with the evidence", async () => {
    const passwords = ["123456", "password", "admin", "root", "toor", "qwerty"];
    // One ssh per password, in sequence, as a spraying bot does; each tries once.
    for (const pw of passwords) {
      await pair.run("attacker", ["sshpass", "-p", pw, "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=3", "-p", "2222", `root@${pair.victim.v4}`, "true"], 15_000);
      if (node.lines.some((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && (Number(l.d.reasons) & 32) !== 0)) break;
    }
    const ban = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && (Number(l.d.reasons) & 33) === 33, 10_000, "TRAP+BRUTEFORCE ban");
    const evidence = (ban.d.evidence as { summary: string }[]).map((e) => e.summary).join(" | ");
    expect(evidence).toMatch(/BRUTEFORCE: \d+ login attempts \(\d+ on ssh\)/);
    expect(evidence).toMatch(/TRAP: touched ssh on port 2222/);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
  }, 120_000);
});
