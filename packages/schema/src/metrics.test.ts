import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { isValid } from "./check.ts";
import { Health } from "./health.ts";
import { ApidMetrics, BusdMetrics, EnforcerdMetrics, KernelMetrics, MeshdMetrics, Metrics, ScandMetrics, TrapdMetrics } from "./metrics.ts";
import { KINDS, topic } from "./topics.ts";

const VARIANTS = { busd: BusdMetrics, trapd: TrapdMetrics, scand: ScandMetrics, enforcerd: EnforcerdMetrics, meshd: MeshdMetrics, apid: ApidMetrics };

describe("metrics schema", () => {
  test("is the body of hm/v1/<svc>/metrics, one typed section per service", () => {
    expect(KINDS.metrics).toBe(Metrics);
    expect(topic("enforcerd", "metrics")).toBe("hm/v1/enforcerd/metrics");
    for (const [service, schema] of Object.entries(VARIANTS)) {
      const body = Value.Create(schema);
      expect(body.service as string).toBe(service);
      expect(isValid(Metrics, body)).toBe(true);
    }
  });

  test("per-reason counters are keyed by the known names only, and hold numbers only", () => {
    const enf = { ...Value.Create(EnforcerdMetrics), kernel: Value.Create(KernelMetrics) };
    expect(isValid(Metrics, enf)).toBe(true);
    expect(Object.keys(enf.decisions.rejected)).toContain("allowlisted");
    expect(Object.keys(enf.kernel.dropped_by_reason)).toEqual(["TRAP", "SCAN", "MESH", "MANUAL", "ENTROPY", "BRUTEFORCE", "EXTERNAL"]);
    const withUnknown = structuredClone(enf) as unknown as { decisions: { rejected: Record<string, number> } };
    withUnknown.decisions.rejected.made_up_reason = 1;
    expect(isValid(Metrics, withUnknown)).toBe(false);
    const missing = structuredClone(enf) as unknown as { kernel: { dropped_by_reason: Record<string, number> } };
    delete missing.kernel.dropped_by_reason.TRAP;
    expect(isValid(Metrics, missing)).toBe(false);
    expect(isValid(Metrics, { ...enf, active_bans: "12" })).toBe(false);
    expect(isValid(Metrics, { ...enf, active_bans: -1 })).toBe(false);
    expect(isValid(Metrics, { ...enf, free_form: 3 })).toBe(false);
  });

  test("the section must match the service it claims", () => {
    const busd = Value.Create(BusdMetrics);
    expect(isValid(Metrics, { ...busd, service: "trapd" })).toBe(false);
    expect(isValid(Metrics, { ...busd, service: "logd" })).toBe(false);
  });

  test("mesh clusters are a bounded list", () => {
    const mesh = Value.Create(MeshdMetrics);
    const cluster = { ...Value.Create(MeshdMetrics.properties.clusters.items), name: "c", peer_id: "12D3", shared: { ban: 1, unban: 0 } };
    expect(isValid(Metrics, { ...mesh, clusters: [cluster] })).toBe(true);
    expect(isValid(Metrics, { ...mesh, clusters: Array.from({ length: 17 }, () => cluster) })).toBe(false);
  });
});

describe("health schema", () => {
  const base = { service: "enforcerd", node: "n", pid: 1, status: "degraded", degraded: [{ code: "enforcement_unavailable", detail: "no BPF" }], uptime_s: 1, rss_bytes: 1, version: "0.1.0" };

  test("carries status, typed degraded reasons and enforcement state, and no counters", () => {
    expect(isValid(Health, base)).toBe(true);
    expect(isValid(Health, { ...base, enforcement: { mode: "test", source: "config", kernel: "unavailable", interfaces: [] } })).toBe(true);
    expect(isValid(Health, { ...base, details: { active_bans: 3 } })).toBe(false);
    expect(isValid(Health, { ...base, degraded: [{ code: "bored", detail: "" }] })).toBe(false);
    expect(isValid(Health, { ...base, enforcement: { mode: "drop-everything", source: "config", kernel: "active", interfaces: [] } })).toBe(false);
  });
});
