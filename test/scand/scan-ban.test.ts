import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { kernelSkipReason, pingOk } from "../kernel/harness.ts";
import { freePort, ROOT, waitFor } from "../support/bus-node.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import type { NetnsPair } from "../support/netns.ts";
import type { BusLine, NsNode } from "../support/ns-node.ts";

const skip = kernelSkipReason();
const isBan = (value: string, change?: string) => (l: BusLine) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === value && (!change || l.d.change === change);

describe.skipIf(Boolean(skip))("scand end to end: scan → decision → kernel drop", () => {
  let pair: NetnsPair;
  let node: NsNode;
  const otlpPort = freePort();

  let en: EnforcingNode;

  beforeAll(async () => {
    en = await startEnforcingNode({
      services: ["enforcerd", "scand"],
      env: (p) => ({
        HONEYMESH_ENFORCER_REAP_INTERVAL_S: "0.2",
        HONEYMESH_SCAN_WINDOW_S: "2",
        HONEYMESH_BANS_DEFAULT_TTL_S: "3",
        // nmap -sS is SYN-only (unverified): this file tests escalation and the kernel path as
        // they were before graded evidence (test/scand/graded.test.ts covers the default, local).
        HONEYMESH_SCAN_SYN_ONLY: "ban",
        // This file follows scand's decision path; the kernel fast path (test/enforcerd/fast-path) would ban first.
        HONEYMESH_ENFORCER_FAST_PATH: "false",
        // The attacker's IPv6 address is an allowlisted scanner.
        HONEYMESH_ALLOW_CIDRS: p.attacker.v6,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      }),
      async beforeServices(n) {
        n.spawnReader([process.execPath, join(ROOT, "test/fixtures/otlp-receiver.ts"), String(otlpPort)]);
        await n.waitLine((l) => l.topic === "otlp/ready", 5_000, "otlp receiver");
      },
    });
    ({ pair, node } = en);
  });
  afterAll(() => en?.stop());

  const nmap = (target: string, ports: string, v6 = false) =>
    pair.run("attacker", ["nmap", ...(v6 ? ["-6"] : []), "-sS", "-Pn", "-n", "-T5", "--max-retries", "0", "-p", ports, target], 90_000);

  test("nmap -sS -p 1-1000 bans the attacker with SCAN and an explanation; later packets drop in XDP", async () => {
    const from = node.lines.length;
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    await nmap(pair.victim.v4, "1-1000");
    const ban = await node.waitLine(isBan(pair.attacker.v4, "added"), 5_000, "SCAN ban", from);
    expect(Number(ban.d.reasons) & 2).toBe(2);
    const first = (ban.d.evidence as { kind: string; summary: string; ports?: number[]; count?: number }[])[0]!;
    expect(first.summary).toMatch(/^SCAN: kernel saw \d+ ports/);
    expect(first).toMatchObject({ kind: "scan", count: expect.any(Number) });
    expect(first.ports!.length).toBeGreaterThanOrEqual(3);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);
  }, 120_000);

  test("one trace follows the ban from the kernel observation through scand and enforcerd to the map write", async () => {
    const spans = () => node.lines.filter((l) => l.topic === "otlp/span").map((l) => l.d as { service: string; name: string; traceId: string; spanId: string; parentSpanId?: string });
    await waitFor(() => spans().some((s) => s.name === "enforcerd.kernel_map_write"), 10_000, "map write span exported");
    const all = spans();
    const root = all.find((s) => s.name === "enforcerd.scan_event")!;
    const chain = ["scand.correlate_syn", "enforcerd.apply_decision", "enforcerd.kernel_map_write"];
    let parent = root;
    for (const name of chain) {
      const child = all.find((s) => s.name === name && s.parentSpanId === parent.spanId);
      expect(child, `${name} is a child of ${parent.name}`).toBeDefined();
      expect(child!.traceId).toBe(root.traceId);
      parent = child!;
    }
    expect(all.find((s) => s.name === "scand.correlate_syn")!.service).toBe("honeymesh-scand");
  });

  test("a second offence gets a longer ban than the first", async () => {
    const first = node.lines.find(isBan(pair.attacker.v4, "added"))!;
    const firstTtl = Number(first.d.expires_at) - Number(first.d.at);
    const from = node.lines.length;
    await node.waitLine(isBan(pair.attacker.v4, "expired"), 10_000, "first ban expired", from);
    await Bun.sleep(2_100); // past the kernel's scan window
    const from2 = node.lines.length;
    await nmap(pair.victim.v4, "1-100");
    const second = await node.waitLine(isBan(pair.attacker.v4, "added"), 5_000, "second ban", from2);
    const secondTtl = Number(second.d.expires_at) - Number(second.d.at);
    expect(Number(second.d.offence)).toBe(2);
    expect(secondTtl).toBeGreaterThan(firstTtl * 1.5);
  }, 60_000);

  test("an allowlisted scanner is never banned", async () => {
    const from = node.lines.length;
    await nmap(pair.victim.v6, "1-300", true);
    await Bun.sleep(1_000);
    expect(node.lines.slice(from).filter(isBan(pair.attacker.v6))).toEqual([]);
    expect(await pingOk(pair, "attacker", pair.victim.v6)).toBe(true);
  }, 120_000);
});
