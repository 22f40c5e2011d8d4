import { Type, type Static } from "@sinclair/typebox";
import { Degraded } from "@honeymesh/schema/health";
import { KernelMetrics, Metrics } from "@honeymesh/schema/metrics";
import { ModeChange } from "@honeymesh/schema/control";
import { SERVICES } from "@honeymesh/schema/services";
import type { HealthBoard } from "../live/health-board.ts";
import type { MetricsBoard } from "../live/metrics-board.ts";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ServiceStatus = Type.Object({
  name: Type.Union(SERVICES.map((s) => Type.Literal(s))),
  up: Type.Boolean(),
  status: Nullable(Type.Union([Type.Literal("ok"), Type.Literal("degraded")])),
  degraded: Type.Array(Degraded),
  pid: Nullable(Type.Integer()),
  uptime_s: Nullable(Type.Number()),
  rss_bytes: Nullable(Type.Integer()),
  last_health_s: Nullable(Type.Number()),
  /** The service's last `hm/v1/<svc>/metrics`, null before the first one. */
  metrics: Nullable(Metrics),
});

/** `GET /v1/status`. */
export const StatusAnswer = Type.Object({
  node: Type.String(),
  services: Type.Array(ServiceStatus),
  enforcement: Type.Object({
    /** `active`, `unavailable: <why>`, or `unknown` before enforcerd's first health. */
    state: Type.String(),
    mode: Nullable(ModeChange.properties.mode),
    mode_source: Nullable(Type.Union([Type.Literal("config"), Type.Literal("operator")])),
    note: Nullable(Type.String()),
    interfaces: Type.Array(Type.Object({ name: Type.String(), attach: Type.String() })),
  }),
  /** enforcerd's kernel counters; null without an attached XDP program. */
  kernel: Nullable(KernelMetrics),
  active_bans: Type.Integer({ minimum: 0 }),
});
export type StatusAnswer = Static<typeof StatusAnswer>;

const NOTES = {
  test: "TEST mode: bans are recorded and counted, no packet is dropped",
  lockdown: "LOCKDOWN: everything not allowlisted is dropped",
  enforce: null,
} as const;

/** The node as its services report it: health for state, typed metrics for counters. */
export function statusAnswer(board: HealthBoard, metrics: MetricsBoard, nodeId: string, activeBans: number, now = Date.now()): StatusAnswer {
  const services = SERVICES.map((name) => {
    const s = board.get(name);
    const self = name === "apid";
    return {
      name,
      up: self || board.up(name, now),
      status: self ? "ok" : (s?.health.status ?? null),
      degraded: s?.health.degraded ?? [],
      pid: self ? process.pid : (s?.health.pid ?? null),
      uptime_s: s?.health.uptime_s ?? null,
      rss_bytes: self ? process.memoryUsage.rss() : (s?.health.rss_bytes ?? null),
      last_health_s: s ? Math.round((now - s.receivedAt) / 100) / 10 : null,
      metrics: metrics.get(name) ?? null,
    } satisfies StatusAnswer["services"][number];
  });
  const enf = board.enforcement();
  const why = board.get("enforcerd")?.health.degraded.find((d) => d.code === "enforcement_unavailable")?.detail;
  return {
    node: nodeId,
    services,
    enforcement: {
      state: !enf ? "unknown" : enf.kernel === "active" ? "active" : `unavailable${why ? `: ${why.replace(/^unavailable: /, "")}` : ""}`,
      mode: enf?.mode ?? null,
      mode_source: enf?.source ?? null,
      note: enf ? NOTES[enf.mode] : null,
      interfaces: enf?.interfaces ?? [],
    },
    kernel: metrics.get("enforcerd")?.kernel ?? null,
    active_bans: activeBans,
  };
}
