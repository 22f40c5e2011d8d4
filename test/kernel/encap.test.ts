/**
 * Encapsulation (issue 13): XDP on the physical interface sees only the outer headers of a VXLAN
 * frame (RFC 7348), so a banned inner source passes there. HoneyMesh's answer is to attach to the
 * decapsulating device as well (`[enforcer] interfaces = ["eth0", "vxlan0"]`; XDP runs there in
 * generic mode): this test shows both halves on a real VXLAN tunnel between two namespaces.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { NetnsPair } from "../support/netns.ts";
import type { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { kernelSkipReason, pingOk, xdpCtl } from "./harness.ts";
import { closeEnforcerPair, openEnforcerPair } from "./enforcer-pair.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`SKIP test/kernel/encap: ${skip}`);

const INNER_VICTIM = "10.242.0.1";
const INNER_ATTACKER = "10.242.0.2";

describe.skipIf(!!skip)("XDP and VXLAN: the inner source is enforced on the decapsulating device", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let k: KernelEnforcer;

  beforeAll(async () => {
    ({ pair, pinRoot, k } = openEnforcerPair());
    for (const [side, local, remote, inner] of [
      ["victim", pair.victim.v4, pair.attacker.v4, INNER_VICTIM],
      ["attacker", pair.attacker.v4, pair.victim.v4, INNER_ATTACKER],
    ] as const) {
      for (const cmd of [
        ["ip", "link", "add", "vx42", "type", "vxlan", "id", "42", "local", local, "remote", remote, "dstport", "4789"],
        ["ip", "addr", "add", `${inner}/24`, "dev", "vx42"],
        ["ip", "link", "set", "vx42", "up"],
      ]) {
        const r = await pair.run(side, cmd);
        if (r.code !== 0) throw new Error(`${cmd.join(" ")}: ${r.stderr}`);
      }
    }
    k.setMode("enforce");
    await xdpCtl(pair, pinRoot, "attach", "native");
  });

  afterAll(() => {
    closeEnforcerPair({ pair, pinRoot, k });
  });

  test("on the outer interface only, a banned inner source passes; attached to the VXLAN device too, it is dropped", async () => {
    expect(await pingOk(pair, "attacker", INNER_VICTIM, 1)).toBe(true);
    k.upsertBans([{ address: INNER_ATTACKER, reasons: 8, expiresAtMs: 0 }]);
    // The outer source (the attacker's underlay address) is not banned: the tunnel carries the inner packet through.
    expect(await pingOk(pair, "attacker", INNER_VICTIM, 1)).toBe(true);
    const a = await xdpCtl(pair, pinRoot, "attach", "auto", "vx42");
    expect(a.value).toMatchObject({ mode: "generic" });
    const dropsBefore = k.counters().dropped;
    expect(await pingOk(pair, "attacker", INNER_VICTIM, 1)).toBe(false);
    expect(k.counters().dropped).toBeGreaterThan(dropsBefore);
    // Unbanned, it passes again through the same two programs.
    k.removeBans([INNER_ATTACKER]);
    expect(await pingOk(pair, "attacker", INNER_VICTIM, 1)).toBe(true);
  }, 30_000);
});
