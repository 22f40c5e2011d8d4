import type { Metrics, MetricsOf } from "@honeymesh/schema/metrics";
import type { ServiceName } from "@honeymesh/schema/services";

/** The latest metrics of each service of this node (`hm/v1/+/metrics`); bounded by the service names. */
export class MetricsBoard {
  private readonly latest = new Map<string, { metrics: Metrics; receivedAt: number }>();

  /** A service may only report for itself: the topic's producer must be the body's `service`. */
  accept(producer: string, m: Metrics, now = Date.now()): boolean {
    if (producer !== m.service) return false;
    this.latest.set(m.service, { metrics: m, receivedAt: now });
    return true;
  }

  get<S extends ServiceName>(name: S): MetricsOf<S> | undefined {
    return this.latest.get(name)?.metrics as MetricsOf<S> | undefined;
  }

  receivedAt(name: ServiceName): number | undefined {
    return this.latest.get(name)?.receivedAt;
  }
}
