import { BusClient } from "@honeymesh/bus/client";
import { loadSigningKey, readJwks } from "@honeymesh/keys/keystore";
import type { Health } from "@honeymesh/schema/health";
import type { Metrics } from "@honeymesh/schema/metrics";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { serviceBusUrl } from "@honeymesh/runtime/bus-url";
import type { Logger } from "@honeymesh/telemetry/logger";

/** Listens to every service's health and metrics on the bus as the `honeymesh` identity. */
export async function watchHealth(config: FrozenConfig, nodeId: string, logger: Logger, onHealth: (h: Health) => void, onMetrics: (m: Metrics) => void): Promise<BusClient> {
  const stateDir = config.node.state_dir;
  const key = await loadSigningKey(stateDir, "honeymesh", nodeId);
  const bus = await BusClient.connect({
    url: serviceBusUrl(config),
    key,
    jwks: () => readJwks(stateDir),
    logger,
    clientId: `honeymesh-supervisor@${nodeId}`,
  });
  await bus.subscribe("+", "health", (h, meta) => {
    // A service may only speak for itself: the envelope's issuer must be the health's subject.
    if (meta.producer === h.service) onHealth(h);
  });
  await bus.subscribe("+", "metrics", (m, meta) => {
    if (meta.producer === m.service) onMetrics(m);
  });
  return bus;
}
