import { Elysia } from "elysia";
import { SERVICES } from "@honeymesh/schema/services";
import type { Counters } from "@honeymesh/bus/counters";
import type { HealthBoard } from "../live/health-board.ts";
import type { LiveFeed } from "../live/live-feed.ts";
import { Exposition, metricKey } from "../live/prometheus.ts";
import type { BanReader } from "../read/ban-reader.ts";
import type { SessionReader } from "../read/owner-queries.ts";

export interface ApiCounters {
  requests: Counters<string>;
  authFailures: Counters<string>;
  busRejected: () => number;
}

const PER_REASON: [RegExp, string, string][] = [
  [/^kernel_dropped_(.+)$/, "hm_kernel_dropped_by_reason_total", "packets dropped by XDP, per reason"],
  [/^decisions_rejected_(.+)$/, "hm_decisions_rejected_total", "decisions refused by enforcerd, per reason"],
  [/^drop_(.+)$/, "hm_trap_drops_total", "trap connections closed at a limit, per limit"],
];

/** `/metrics`: every service's health details as Prometheus samples, plus apid's own counters. */
export function metricsRoutes(board: HealthBoard, reader: BanReader, sessions: SessionReader, feed: LiveFeed, api: ApiCounters) {
  return new Elysia({ name: "metrics", normalize: false }).get(
    "/metrics",
    () => {
      const e = new Exposition();
      const now = Date.now();
      for (const name of SERVICES) {
        const s = board.get(name);
        const up = name === "apid" || board.up(name, now);
        e.add("hm_service_up", "gauge", "1 when the service reported health within three intervals", up ? 1 : 0, { service: name });
        if (!s) continue;
        e.add("hm_service_rss_bytes", "gauge", "resident memory of the service", s.health.rss_bytes, { service: name });
        e.add("hm_service_uptime_seconds", "gauge", "seconds since the service started", s.health.uptime_s, { service: name });
        for (const [k, v] of Object.entries(s.health.details)) {
          if (k === "bus_rejected_total" && typeof v === "number") e.add("hm_bus_rejected_total", "counter", "bus messages rejected by the service's verifier", v, { service: name });
          for (const [re, metric, help] of PER_REASON) {
            const m = re.exec(k);
            if (m && m[1] !== "total" && typeof v === "number") e.add(metric, "counter", help, v, { service: name, reason: m[1]! });
          }
          if (typeof v === "number" || typeof v === "boolean") e.add("hm_service_detail", "gauge", "numeric health details of each service, by key", Number(v), { service: name, key: metricKey(k) });
        }
      }
      const enf = board.details("enforcerd");
      const num = (k: string) => (typeof enf[k] === "number" ? (enf[k] as number) : undefined);
      if (num("kernel_dropped") !== undefined) e.add("hm_kernel_dropped_total", "counter", "packets dropped by XDP", num("kernel_dropped")!);
      if (num("kernel_would_drop") !== undefined) e.add("hm_kernel_would_drop_total", "counter", "packets XDP would drop in test mode", num("kernel_would_drop")!);
      if (num("kernel_passed") !== undefined) e.add("hm_kernel_passed_total", "counter", "packets XDP passed", num("kernel_passed")!);
      if (num("kernel_syn_seen") !== undefined) e.add("hm_kernel_syn_seen_total", "counter", "TCP SYNs seen by XDP", num("kernel_syn_seen")!);
      if (typeof enf.mode === "string") for (const m of ["test", "enforce", "lockdown"]) e.add("hm_enforcer_mode", "gauge", "1 for the current enforcement mode", enf.mode === m ? 1 : 0, { mode: m });
      e.add("hm_active_bans", "gauge", "bans in force", reader.count(now));
      for (const [service, n] of Object.entries(sessions.count("service").groups)) e.add("hm_trap_sessions", "gauge", "stored trap sessions per trap", n, { trap: service });
      for (const [code, n] of Object.entries(api.requests.snapshot())) e.add("hm_api_requests_total", "counter", "API requests answered, by status class", n, { code });
      for (const [kind, n] of Object.entries(api.authFailures.snapshot())) e.add("hm_api_auth_failures_total", "counter", "API authentication failures", n, { kind });
      e.add("hm_api_stream_clients", "gauge", "connected /v1/stream clients", feed.size);
      for (const [k, n] of Object.entries(feed.counters.snapshot())) e.add("hm_api_stream_events_total", "counter", "stream events sent, dropped for slow clients, or clients refused", n, { outcome: k });
      return new Response(e.text(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
    },
    { detail: { summary: "Prometheus metrics", tags: ["status"] } },
  );
}
