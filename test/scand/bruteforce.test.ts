import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { kernelSkipReason, makePinRoot, pingOk, removePinRoot } from "../kernel/harness.ts";
import { waitFor } from "../support/bus-node.ts";
import { createNetnsPair, type NetnsPair } from "../support/netns.ts";
import { NsNode } from "../support/ns-node.ts";

const skip = kernelSkipReason() ?? (Bun.which("sshpass") ? undefined : "sshpass is not installed (scripts/setup.sh installs it)");

describe.skipIf(Boolean(skip))("SSH brute force with the real ssh client → TRAP + BRUTEFORCE → dropped", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let node: NsNode;

  beforeAll(async () => {
    pair = createNetnsPair();
    pinRoot = makePinRoot();
    node = await new NsNode(pair, {
      HONEYMESH_ENFORCER_INTERFACES: pair.victim.ifname,
      HONEYMESH_ENFORCER_MODE: "enforce",
      HONEYMESH_ENFORCER_PIN_ROOT: pinRoot,
      HONEYMESH_TRAPS_AUTH_DELAY_MS: "50",
      HONEYMESH_SCAN_BRUTEFORCE_ATTEMPTS: "4",
    }).start();
    for (const svc of ["enforcerd", "scand", "trapd"]) node.spawn(svc);
    await waitFor(() => ["enforcerd", "scand", "trapd"].every((s) => node.health(s) !== undefined) && node.health("enforcerd")?.enforcement === "active", 20_000, "node up");
  });
  afterAll(async () => {
    await node?.stop();
    pair?.destroy();
    if (pinRoot) removePinRoot(pinRoot);
  });

  test("six passwords over ssh ban the attacker for TRAP and BRUTEFORCE, with the evidence", async () => {
    const passwords = ["123456", "password", "admin", "root", "toor", "qwerty"];
    // One ssh per password, in sequence, as a spraying bot does; each tries once.
    for (const pw of passwords) {
      await pair.run("attacker", ["sshpass", "-p", pw, "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=3", "-p", "2222", `root@${pair.victim.v4}`, "true"], 15_000);
      if (node.lines.some((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.value === pair.attacker.v4 && (Number(l.d.reasons) & 32) !== 0)) break;
    }
    const ban = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.value === pair.attacker.v4 && (Number(l.d.reasons) & 33) === 33, 10_000, "TRAP+BRUTEFORCE ban");
    const evidence = (ban.d.evidence as string[]).join(" | ");
    expect(evidence).toMatch(/BRUTEFORCE: \d+ login attempts \(\d+ on ssh\)/);
    expect(evidence).toMatch(/TRAP: touched ssh on port 2222/);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
  }, 120_000);
});
