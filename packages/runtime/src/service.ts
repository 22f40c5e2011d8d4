import type { Tracer } from "@opentelemetry/api";
import { BusClient } from "@honeymesh/bus/client";
import { loadSigningKey, readJwks } from "@honeymesh/keys/keystore";
import type { FrozenConfig } from "@honeymesh/config/schema";
import type { Metrics, OwnMetrics } from "@honeymesh/schema/metrics";
import type { ServiceName } from "@honeymesh/schema/services";
import { createLogger, type Logger } from "@honeymesh/telemetry/logger";
import { initTracing } from "@honeymesh/telemetry/tracing";
import { boot } from "./boot.ts";
import { serviceBusUrl } from "./bus-url.ts";
import { healthBody, type HealthReport } from "./health.ts";
import { busMetrics } from "./bus-metrics.ts";

export const VERSION = "0.1.0";

export interface BaseContext {
  name: ServiceName;
  config: FrozenConfig;
  nodeId: string;
  logger: Logger;
  tracer: Tracer;
}
export interface ServiceContext extends BaseContext {
  bus: BusClient;
}

export interface ServiceHandle<N extends ServiceName = ServiceName> {
  /** Status, degraded reasons, enforcement state: `hm/v1/<svc>/health`. */
  health?(): HealthReport;
  /** The service's own counters and gauges: `hm/v1/<svc>/metrics` (the runtime adds the bus client's). */
  metrics?(): OwnMetrics<N>;
  stop?(): Promise<void>;
}

export interface ServiceDefinition<N extends ServiceName = ServiceName> {
  /** Work that must happen before the bus connection (busd starts the broker here). */
  prepare?(ctx: BaseContext): Promise<void | (() => Promise<void>)>;
  start(ctx: ServiceContext): Promise<ServiceHandle<N>>;
}

/**
 * The life of every service: config, logs, traces, keys, bus connection, periodic health,
 * clean exit on SIGTERM/SIGINT. main.ts files only call this with their wiring.
 */
export async function runService<N extends ServiceName>(name: N, def: ServiceDefinition<N>): Promise<void> {
  // Files and sockets this process creates are never world-accessible (group honeymesh may read).
  process.umask(0o027);
  const { config, nodeId } = await boot();
  const logger = createLogger(name, config.node.log_level, undefined, { node: nodeId });
  const tracing = await initTracing({ service: name, nodeId, endpoint: config.telemetry.otlp_traces_endpoint, headers: config.telemetry.otlp_headers });
  const base: BaseContext = { name, config, nodeId, logger, tracer: tracing.tracer };
  process.on("uncaughtException", (e) => {
    logger.error("uncaught exception, exiting for the supervisor to restart", { err: e, stack: e.stack });
    process.exit(1);
  });
  process.on("unhandledRejection", (e) => logger.error("unhandled rejection", { err: e as Error }));

  const unprepare = await def.prepare?.(base);
  const key = await loadSigningKey(config.node.state_dir, name, nodeId);
  const bus = await BusClient.connect({
    url: serviceBusUrl(config),
    key,
    jwks: () => readJwks(config.node.state_dir),
    logger,
    tokenTtlS: config.bus.token_ttl_s,
    messageTtlS: config.bus.message_ttl_s,
  });
  const ctx: ServiceContext = { ...base, bus };
  const handle = await def.start(ctx);

  const publishHealth = async () => {
    try {
      await bus.publish("health", healthBody(name, nodeId, VERSION, handle.health?.() ?? { degraded: [] }));
    } catch (e) {
      logger.debug("health publish failed", { err: e as Error });
    }
    if (!handle.metrics) return;
    try {
      // OwnMetrics<N> plus the head is MetricsOf<N>; TypeScript cannot see that through the generic N.
      const body = { ...handle.metrics(), service: name, node: nodeId, bus: busMetrics(bus) } as unknown as Metrics;
      await bus.publish("metrics", body);
    } catch (e) {
      logger.debug("metrics publish failed", { err: e as Error });
    }
  };
  await publishHealth();
  const timer = setInterval(publishHealth, config.node.health_interval_s * 1000);
  logger.info("service started", { pid: process.pid, uid: process.getuid?.(), bus: serviceBusUrl(config) });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("service stopping", { signal });
    clearInterval(timer);
    const force = setTimeout(() => process.exit(1), 8_000);
    try {
      await handle.stop?.();
      await bus.close();
      await unprepare?.();
      await tracing.shutdown();
    } catch (e) {
      logger.error("error during shutdown", { err: e as Error });
    }
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
