// The whole path on a real kernel: a Fail2Ban jail in the victim namespace bans the attacker
// through the HoneyMesh action → apid → enforcerd → XDP; the attacker's packets are dropped and
// /metrics' kernel drop counter rises.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitFor } from "../support/bus-node.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import type { NetnsPair } from "../support/netns.ts";
import type { NsNode } from "../support/ns-node.ts";
import { kernelSkipReason, pingOk } from "../kernel/harness.ts";
import { fail2banConfig, sshdFailure } from "./fail2ban.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`apid kernel test skipped: ${skip}`);

describe.skipIf(Boolean(skip))("Fail2Ban → HoneyMesh EXTERNAL ban → XDP drop, seen in /metrics", () => {
  let pair: NetnsPair;
  let node: NsNode;
  const apiPort = freePort();
  const env = () => node.env({ HONEYMESH_API_LISTEN: `127.0.0.1:${apiPort}` });

  let en: EnforcingNode;

  beforeAll(async () => {
    en = await startEnforcingNode({ services: ["enforcerd", "apid"], env: () => ({ HONEYMESH_API_LISTEN: `127.0.0.1:${apiPort}` }) });
    ({ pair, node } = en);
  });
  afterAll(() => en?.stop());

  async function metric(name: string): Promise<number> {
    const token = (await Bun.file(join(node.node.stateDir, "apid", "admin.token")).text()).trim();
    const r = await pair.run("victim", ["curl", "-s", "-H", `Authorization: Bearer ${token}`, `http://127.0.0.1:${apiPort}/metrics`]);
    const line = r.stdout.split("\n").find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(" ")[1]) : Number.NaN;
  }

  test("three failed logins → EXTERNAL ban → pings dropped, hm_kernel_dropped_total rises", async () => {
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    const f2b = fail2banConfig(join(node.node.stateDir, "fail2ban"));
    const server = Bun.spawn(pair.argv("victim", f2b.args(["-f", "-x", "start"])), { env: env(), stdout: "ignore", stderr: "ignore" });
    try {
      await waitFor(() => existsSync(f2b.sock), 20_000, "fail2ban socket");
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (await pair.run("victim", f2b.args(["status", "sshd"]))).code !== 0) await Bun.sleep(200);
      const dropsBefore = await metric("hm_kernel_dropped_total");
      expect(Number.isFinite(dropsBefore)).toBe(true);
      for (let i = 0; i < 3; i++) {
        appendFileSync(f2b.log, sshdFailure(pair.attacker.v4, 5000 + i));
        await Bun.sleep(300);
      }
      await waitFor(() => node.lines.some((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4 && l.d.change === "added"), 30_000, "EXTERNAL ban applied");
      const added = node.lines.find((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === pair.attacker.v4)!;
      expect(added.d.reasons).toBe(64);
      expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
      let after = dropsBefore;
      const until = Date.now() + 10_000;
      while (after <= dropsBefore && Date.now() < until) {
        await pingOk(pair, "attacker", pair.victim.v4, 0.2);
        await Bun.sleep(300);
        after = await metric("hm_kernel_dropped_total");
      }
      expect(after).toBeGreaterThan(dropsBefore);
      await pair.run("victim", f2b.args(["stop"]));
    } finally {
      if (server.exitCode === null) server.kill("SIGKILL");
      await server.exited;
    }
  }, 120_000);
});
