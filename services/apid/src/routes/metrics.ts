import { Elysia, t } from "elysia";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { SERVICES } from "@honeymesh/schema/services";
import type { Counters } from "@honeymesh/bus/counters";
import type { HealthBoard } from "../live/health-board.ts";
import type { LiveFeed } from "../live/live-feed.ts";
import { exposeMetrics } from "../live/metrics-exposition.ts";
import type { MetricsBoard } from "../live/metrics-board.ts";
import { Exposition } from "../live/prometheus.ts";
import type { BanReader } from "../read/ban-reader.ts";
import type { SessionReader } from "../read/owner-queries.ts";
import { needs } from "../auth/scope.ts";

export interface ApiCounters {
  requests: Counters<string>;
  authFailures: Counters<string>;
  busRejected: () => number;
}

/** `/metrics`: every service's health and typed metrics as Prometheus samples, plus apid's own counters. */
export function metricsRoutes(board: HealthBoard, metrics: MetricsBoard, reader: BanReader, sessions: SessionReader, feed: LiveFeed, api: ApiCounters) {
  return new Elysia({ name: "metrics", normalize: false }).get(
    "/metrics",
    () => {
      const e = new Exposition();
      const now = Date.now();
      for (const name of SERVICES) {
        const s = board.get(name);
        const up = name === "apid" || board.up(name, now);
        e.add("hm_service_up", "gauge", "1 when the service reported health within three intervals", up ? 1 : 0, { service: name });
        if (s) {
          e.add("hm_service_rss_bytes", "gauge", "resident memory of the service", s.health.rss_bytes, { service: name });
          e.add("hm_service_uptime_seconds", "gauge", "seconds since the service started", s.health.uptime_s, { service: name });
          e.add("hm_service_degraded", "gauge", "1 when the service's last health said degraded", s.health.status === "degraded" ? 1 : 0, { service: name });
        }
        const m = metrics.get(name);
        if (m) exposeMetrics(e, m);
      }
      const mode = board.enforcement()?.mode;
      if (mode) for (const x of ["test", "enforce", "lockdown"]) e.add("hm_enforcer_mode", "gauge", "1 for the current enforcement mode", mode === x ? 1 : 0, { mode: x });
      e.add("hm_active_bans", "gauge", "bans in force", reader.count(now));
      for (const [service, n] of Object.entries(sessions.count("service").groups)) e.add("hm_trap_sessions", "gauge", "stored trap sessions per trap", n, { trap: service });
      for (const [code, n] of Object.entries(api.requests.snapshot())) e.add("hm_api_requests_total", "counter", "API requests answered, by status class", n, { code });
      for (const [kind, n] of Object.entries(api.authFailures.snapshot())) e.add("hm_api_auth_failures_total", "counter", "API authentication failures", n, { kind });
      e.add("hm_api_stream_clients", "gauge", "connected /v1/stream clients", feed.size);
      for (const [k, n] of Object.entries(feed.counters.snapshot())) e.add("hm_api_stream_events_total", "counter", "stream events sent, dropped for slow clients, or clients refused", n, { outcome: k });
      return new Response(e.text(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
    },
    { response: { 200: t.String({ description: "Prometheus text exposition format 0.0.4" }), ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "Prometheus metrics", tags: ["status"] } },
  );
}
