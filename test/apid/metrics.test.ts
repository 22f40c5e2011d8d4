// Typed metrics end to end: real busd, enforcerd (no kernel) and apid processes. A service's
// counters travel on hm/v1/<svc>/metrics, match the schema, and apid's /metrics and /v1/status
// expose exactly what the bus carried.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { BusClient } from "../../packages/bus/src/client.ts";
import { isValid } from "../../packages/schema/src/check.ts";
import { newWriteId } from "../../packages/schema/src/decision.ts";
import { Health } from "../../packages/schema/src/health.ts";
import { Metrics, type MetricsOf } from "../../packages/schema/src/metrics.ts";
import { waitFor } from "../support/bus-node.ts";
import { ApiNode } from "./harness.ts";

let n: ApiNode;
let watcher: BusClient;
const seen: { producer: string; m: Metrics }[] = [];
const healths: Health[] = [];

beforeAll(async () => {
  n = await new ApiNode().start();
  watcher = await n.node.client("honeymesh");
  await watcher.subscribe("+", "metrics", (m, meta) => void seen.push({ producer: meta.producer, m }));
  await watcher.subscribe("+", "health", (h) => void healths.push(h));
});
afterAll(() => n?.stop());

const latest = <S extends Metrics["service"]>(s: S) => seen.findLast((x) => x.m.service === s)?.m as MetricsOf<S> | undefined;

async function prometheus(): Promise<Record<string, [Record<string, string>, number][]>> {
  const r = await n.req("GET", "/metrics");
  expect(r.type).toContain("text/plain");
  const py = Bun.spawn(["/usr/bin/python3", "-c", "import sys,json\nfrom prometheus_client.parser import text_string_to_metric_families as f\nout={}\nfor fam in f(sys.stdin.read()):\n  for s in fam.samples: out.setdefault(s.name,[]).append([s.labels,s.value])\nprint(json.dumps(out))"], { stdin: new Blob([r.body]), stdout: "pipe", stderr: "pipe" });
  const parsed = JSON.parse(await new Response(py.stdout).text()) as Record<string, [Record<string, string>, number][]>;
  expect(await py.exited).toBe(0);
  return parsed;
}

test("every running service publishes typed metrics on hm/v1/<svc>/metrics, valid against the schema", async () => {
  await waitFor(() => ["busd", "enforcerd", "apid"].every((s) => seen.some((x) => x.m.service === s)), 10_000, "metrics of busd, enforcerd and apid");
  for (const { producer, m } of seen) {
    expect(m.service).toBe(producer as Metrics["service"]);
    expect(m.node).toBe(n.node.nodeId);
    expect(isValid(Metrics, m)).toBe(true);
  }
  // Nothing the services sent was refused by the watcher's verifier (schema, signature, topic owner).
  expect(watcher.rejected.total()).toBe(0);
  // Health carries state only: enforcerd without BPF is degraded, says why, and reports its mode.
  await waitFor(() => healths.some((h) => h.service === "enforcerd"), 5_000, "enforcerd health");
  const h = healths.findLast((x) => x.service === "enforcerd")!;
  expect(isValid(Health, h)).toBe(true);
  expect(h).not.toHaveProperty("details");
  expect(h.degraded.map((d) => d.code)).toEqual(["enforcement_unavailable"]);
  expect(h.enforcement?.kernel).toBe("unavailable");
  expect(latest("enforcerd")?.kernel).toBeUndefined();
});

test("a refused decision is counted under its reason on the bus, and apid's /metrics shows the same count", async () => {
  const before = latest("enforcerd")?.decisions.rejected.allowlisted ?? 0;
  const apid = await n.node.client("apid");
  // Loopback is always allowlisted: enforcerd must refuse this ban and count it as `allowlisted`.
  await apid.publish("decision", { id: newWriteId("test"), action: "ban", address: { kind: "ip", text: "127.0.0.1" }, reasons: 8, ttl_s: 60, origin: n.node.nodeId, source: "apid", evidence: [{ kind: "manual", summary: "manual" }], offence: 1, at: Date.now() });
  await waitFor(() => (latest("enforcerd")?.decisions.rejected.allowlisted ?? 0) === before + 1, 10_000, "allowlisted refusal in enforcerd's metrics");

  // apid hears the same message a little later than the watcher; poll its /metrics until it has.
  let sample: number | undefined;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    sample = (await prometheus()).hm_decisions_rejected_total?.find(([l]) => l.service === "enforcerd" && l.reason === "allowlisted")?.[1];
    if (sample === before + 1) break;
    await Bun.sleep(100);
  }
  expect(sample).toBe(before + 1);
  const p = await prometheus();
  // Every reason has its sample, at zero when it never happened.
  expect(p.hm_decisions_rejected_total?.map(([l]) => l.reason).sort()).toEqual(Object.keys(latest("enforcerd")!.decisions.rejected).sort());
  expect(p.hm_bus_rejected_total?.filter(([l]) => l.service === "busd").length).toBe(Object.keys(latest("busd")!.bus.rejected).length);
  expect(p.hm_service_detail?.find(([l]) => l.service === "busd" && l.key === "clients")?.[1]).toBeGreaterThanOrEqual(3);
  expect(p.hm_kernel_dropped_total).toBeUndefined();
});

test("/v1/status lists each service's typed metrics and no health details", async () => {
  const s = await n.req("GET", "/v1/status");
  expect(s.status).toBe(200);
  const enf = s.json.services.find((x: { name: string }) => x.name === "enforcerd");
  expect(enf.metrics.service).toBe("enforcerd");
  expect(isValid(Metrics, enf.metrics)).toBe(true);
  expect(enf.degraded[0].code).toBe("enforcement_unavailable");
  expect(enf).not.toHaveProperty("details");
  expect(s.json.kernel).toBeNull();
  expect(s.json.enforcement.state).toMatch(/^unavailable/);
});
