import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Health } from "../../packages/schema/src/health.ts";
import type { BanChange } from "../../packages/schema/src/ban.ts";
import type { MetricsOf } from "../../packages/schema/src/metrics.ts";
import { ROOT, TestNode, waitFor } from "../support/bus-node.ts";
import { newWriteId } from "@honeymesh/schema/decision";

const node = new TestNode();
afterAll(() => node.stop());

test("without BPF, enforcerd says exactly why, keeps recording decisions, and the node runs on", async () => {
  await node.init();
  await node.startBusd();
  node.spawn([process.execPath, join(ROOT, "services/enforcerd/src/main.ts")], {
    HONEYMESH_ENFORCER_BPF_OBJECT: "/nonexistent/honeymesh.bpf.o",
    HONEYMESH_ENFORCER_PIN_ROOT: `/sys/fs/bpf/hm-test-${node.nodeId}`,
  });
  const watcher = await node.client("honeymesh");
  let health: Health | undefined;
  let metrics: MetricsOf<"enforcerd"> | undefined;
  const changes: BanChange[] = [];
  await watcher.subscribe("enforcerd", "health", (h) => void (health = h));
  await watcher.subscribe("enforcerd", "metrics", (m) => void (metrics = m.service === "enforcerd" ? m : metrics));
  await watcher.subscribe("enforcerd", "ban", (c) => void changes.push(c));
  await waitFor(() => health !== undefined, 10_000, "enforcerd health");
  expect(health!.status).toBe("degraded");
  expect(health!.enforcement?.kernel).toBe("unavailable");
  expect(health!.degraded.map((d) => d.code)).toEqual(["enforcement_unavailable"]);
  expect(health!.degraded[0]!.detail).toMatch(/^unavailable: .*\/nonexistent\/honeymesh\.bpf\.o/);

  const apid = await node.client("apid");
  await apid.publish("decision", { id: newWriteId("test"), action: "ban", address: { kind: "ip", text: "203.0.113.50" }, reasons: 8, ttl_s: 60, origin: node.nodeId, source: "apid", evidence: [{ kind: "manual", summary: "manual" }], offence: 1, at: Date.now() });
  await waitFor(() => changes.some((c) => c.address.text === "203.0.113.50" && c.change === "added"), 5_000, "ban recorded");
  await waitFor(() => metrics?.active_bans === 1, 5_000, "active ban in enforcerd's metrics");
  expect(metrics!.kernel).toBeUndefined();
});
