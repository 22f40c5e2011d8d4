import type { Degraded, EnforcementState, Health } from "@honeymesh/schema/health";

/** What a service says about its own state; status follows from `degraded`. */
export interface HealthReport {
  degraded: Degraded[];
  enforcement?: EnforcementState;
}

const startedAt = performance.now();

/** A Health body for this process, with what the service reports merged in. */
export function healthBody(service: string, node: string, version: string, report: HealthReport): Health {
  return {
    service,
    node,
    pid: process.pid,
    status: report.degraded.length > 0 ? "degraded" : "ok",
    degraded: report.degraded.slice(0, 32),
    uptime_s: Math.round((performance.now() - startedAt) / 100) / 10,
    rss_bytes: process.memoryUsage.rss(),
    version,
    ...(report.enforcement ? { enforcement: report.enforcement } : {}),
  };
}
