import type { Health } from "@honeymesh/schema/health";
import { SERVICES, type ServiceName } from "@honeymesh/schema/services";

export interface Seen {
  health: Health;
  receivedAt: number;
}

/** The latest health of each service of this node (`hm/v1/+/health`); bounded by SERVICES. */
export class HealthBoard {
  private readonly latest = new Map<ServiceName, Seen>();

  constructor(private readonly intervalS: number) {}

  accept(producer: string, h: Health, now = Date.now()): void {
    if (!(SERVICES as readonly string[]).includes(producer)) return;
    this.latest.set(producer as ServiceName, { health: h, receivedAt: now });
  }

  get(name: ServiceName): Seen | undefined {
    return this.latest.get(name);
  }

  /** Up = a health report younger than three intervals (the supervisor's rule too). */
  up(name: ServiceName, now = Date.now()): boolean {
    const s = this.latest.get(name);
    return Boolean(s && now - s.receivedAt < this.intervalS * 3000 + 1000);
  }

  all(): [ServiceName, Seen][] {
    return [...this.latest.entries()];
  }

  /** enforcerd's last reported enforcement state (mode, where XDP is attached). */
  enforcement(): Health["enforcement"] {
    return this.latest.get("enforcerd")?.health.enforcement;
  }
}
