import type { HealthReport } from "@honeymesh/runtime/health";
import type { OwnMetrics } from "@honeymesh/schema/metrics";
import type { JailSet } from "./jail-set.ts";

/** Degraded while a jail could not be built or its source is missing, failing or silent. */
export function logdHealth(jails: JailSet): HealthReport {
  const bad = [
    ...jails.errors.map((e) => ({ code: "jail_source" as const, detail: e.slice(0, 512) })),
    ...jails
      .metrics()
      .filter((j) => !j.source_ok)
      .map((j) => ({ code: "jail_source" as const, detail: `${j.jail}: ${j.source_detail}`.slice(0, 512) })),
  ];
  return { degraded: bad.slice(0, 32) };
}

export function logdMetrics(jails: JailSet, published: number, failed: number): OwnMetrics<"logd"> {
  return { jails: jails.metrics(), published, publish_failed: failed };
}
