import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { isValid } from "@honeymesh/schema/check";
import type { Health } from "@honeymesh/schema/health";
import { BusdMetrics, EnforcerdMetrics, KernelMetrics, MeshdMetrics, type MetricsOf } from "@honeymesh/schema/metrics";
import { StatusAnswer, statusAnswer } from "../routes/status-answer.ts";
import { HealthBoard } from "./health-board.ts";
import { MetricsBoard } from "./metrics-board.ts";
import { exposeMetrics } from "./metrics-exposition.ts";
import { Exposition } from "./prometheus.ts";

function enforcerd(): MetricsOf<"enforcerd"> {
  const m = { ...Value.Create(EnforcerdMetrics), node: "n1", kernel: Value.Create(KernelMetrics) };
  m.kernel.dropped = 40;
  m.kernel.dropped_by_reason.TRAP = 30;
  m.kernel.dropped_by_reason.SCAN = 10;
  m.kernel.would_drop_by_reason.MANUAL = 2;
  m.decisions.rejected.allowlisted = 3;
  m.bus.rejected.replay = 7;
  m.active_bans = 12;
  return m;
}

const health = (over: Partial<Health> = {}): Health => ({ service: "enforcerd", node: "n1", pid: 42, status: "ok", degraded: [], uptime_s: 5, rss_bytes: 1000, version: "0.1.0", ...over });

describe("metrics board", () => {
  test("keeps the latest metrics per service, and only what a service says about itself", () => {
    const b = new MetricsBoard();
    expect(b.accept("trapd", enforcerd())).toBe(false);
    expect(b.get("enforcerd")).toBeUndefined();
    expect(b.accept("enforcerd", enforcerd(), 1000)).toBe(true);
    const later = { ...enforcerd(), active_bans: 13 };
    b.accept("enforcerd", later, 2000);
    expect(b.get("enforcerd")?.active_bans).toBe(13);
    expect(b.receivedAt("enforcerd")).toBe(2000);
  });
});

describe("prometheus exposition of typed metrics", () => {
  test("per-reason families come from the typed objects, labelled by reason", () => {
    const e = new Exposition();
    exposeMetrics(e, enforcerd());
    const text = e.text();
    expect(text).toContain('hm_kernel_dropped_by_reason_total{service="enforcerd",reason="trap"} 30\n');
    expect(text).toContain('hm_kernel_dropped_by_reason_total{service="enforcerd",reason="scan"} 10\n');
    expect(text).toContain('hm_kernel_would_drop_by_reason_total{service="enforcerd",reason="manual"} 2\n');
    expect(text).toContain('hm_decisions_rejected_total{service="enforcerd",reason="allowlisted"} 3\n');
    expect(text).toContain('hm_bus_rejected_total{service="enforcerd",reason="replay"} 7\n');
    expect(text).toContain("hm_kernel_dropped_total 40\n");
    expect(text).toContain('hm_service_detail{service="enforcerd",key="active_bans"} 12\n');
    expect(text).toContain('hm_service_detail{service="enforcerd",key="kernel_dropped_by_reason_TRAP"} 30\n');
    // One HELP/TYPE per family.
    expect(text.match(/# TYPE hm_kernel_dropped_by_reason_total /g)?.length).toBe(1);
  });

  test("without a kernel there are no kernel families; mesh clusters are keyed by name", () => {
    const e = new Exposition();
    exposeMetrics(e, { ...enforcerd(), kernel: undefined });
    const mesh = { ...Value.Create(MeshdMetrics), clusters: [{ ...Value.Create(MeshdMetrics.properties.clusters.items), name: "prod", live_bans: 5 }] };
    exposeMetrics(e, mesh);
    const busd = { ...Value.Create(BusdMetrics), refused: { auth_unknown_user: 2, auth_bad_token: 0, acl_publish: 1, acl_subscribe: 0 } };
    exposeMetrics(e, busd);
    const text = e.text();
    expect(text).not.toContain("hm_kernel_dropped_total");
    expect(text).toContain('hm_service_detail{service="meshd",key="clusters_prod_live_bans"} 5\n');
    expect(text).toContain('hm_broker_refused_total{reason="auth_unknown_user"} 2\n');
  });
});

describe("/v1/status answer", () => {
  test("enforcement from health, kernel counters from metrics, valid against its schema", () => {
    const hb = new HealthBoard(1);
    const mb = new MetricsBoard();
    const now = Date.now();
    hb.accept("enforcerd", health({ enforcement: { mode: "test", source: "operator", kernel: "active", interfaces: [{ name: "eth9", attach: "native" }] } }), now);
    mb.accept("enforcerd", enforcerd(), now);
    const a = statusAnswer(hb, mb, "n1", 12, now);
    expect(isValid(StatusAnswer, a)).toBe(true);
    expect(a.enforcement).toEqual({ state: "active", mode: "test", mode_source: "operator", note: expect.stringContaining("TEST"), interfaces: [{ name: "eth9", attach: "native" }], guard: null });
    expect(a.kernel?.dropped_by_reason.TRAP).toBe(30);
    expect(a.services.find((s) => s.name === "enforcerd")?.metrics?.service).toBe("enforcerd");
    expect(a.services.find((s) => s.name === "scand")).toMatchObject({ up: false, status: null, metrics: null });
  });

  test("an unavailable kernel says why, from the typed degraded reason", () => {
    const hb = new HealthBoard(1);
    hb.accept("enforcerd", health({ status: "degraded", degraded: [{ code: "enforcement_unavailable", detail: "unavailable: no BPF object" }], enforcement: { mode: "enforce", source: "config", kernel: "unavailable", interfaces: [] } }));
    const a = statusAnswer(hb, new MetricsBoard(), "n1", 0);
    expect(a.enforcement.state).toBe("unavailable: no BPF object");
    expect(a.kernel).toBeNull();
    expect(isValid(StatusAnswer, a)).toBe(true);
  });

  test("the connection guard: its ports when on, enforcerd's reason when unavailable", () => {
    const on = new HealthBoard(1);
    on.accept("enforcerd", health({ enforcement: { mode: "enforce", source: "config", kernel: "active", interfaces: [], guard: "on", guard_ports: [22, 2222] } }));
    expect(statusAnswer(on, new MetricsBoard(), "n1", 0).enforcement.guard).toBe("on: 22, 2222");
    const un = new HealthBoard(1);
    un.accept("enforcerd", health({ status: "degraded", degraded: [{ code: "guard_unavailable", detail: "unavailable: cannot attach" }], enforcement: { mode: "enforce", source: "config", kernel: "active", interfaces: [], guard: "unavailable", guard_ports: [22] } }));
    const a = statusAnswer(un, new MetricsBoard(), "n1", 0);
    expect(a.enforcement.guard).toBe("unavailable: cannot attach");
    expect(isValid(StatusAnswer, a)).toBe(true);
  });
});
