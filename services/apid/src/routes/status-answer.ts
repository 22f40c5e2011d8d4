import { StatusAnswer as StatusSchema } from "@honeymesh/api/status";
import { SERVICES } from "@honeymesh/schema/services";
import type { Static } from "@sinclair/typebox";
import type { EnforcementState } from "@honeymesh/schema/health";
import type { HealthBoard } from "../live/health-board.ts";
import type { MetricsBoard } from "../live/metrics-board.ts";

export const StatusAnswer = StatusSchema;
export type StatusAnswer = Static<typeof StatusSchema>;

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
      guard: guardState(enf, board.get("enforcerd")?.health.degraded.find((d) => d.code === "guard_unavailable")?.detail),
    },
    kernel: metrics.get("enforcerd")?.kernel ?? null,
    active_bans: activeBans,
  };
}

/** "off", "on: 22, 2222" or "unavailable: <why>" (the detail enforcerd reported), null before its first health. */
function guardState(enf: EnforcementState | undefined, why: string | undefined): string | null {
  if (!enf?.guard) return null;
  if (enf.guard === "on") return `on: ${(enf.guard_ports ?? []).join(", ")}`;
  if (enf.guard === "off") return "off";
  return `unavailable${why ? `: ${why.replace(/^unavailable: /, "")}` : ""}`;
}
