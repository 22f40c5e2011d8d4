import type { Health } from "@honeymesh/schema/health";

export type HealthDetails = Health["details"];
export interface HealthReport {
  status: Health["status"];
  details: HealthDetails;
}

const startedAt = performance.now();

/** A Health body for this process, with what the service reports merged in. */
export function healthBody(service: string, node: string, version: string, report: HealthReport): Health {
  return {
    service,
    node,
    pid: process.pid,
    status: report.status,
    uptime_s: Math.round((performance.now() - startedAt) / 100) / 10,
    rss_bytes: process.memoryUsage.rss(),
    version,
    details: report.details,
  };
}
