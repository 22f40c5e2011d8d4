import { context, trace, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "./context-manager.ts";

export interface TracingOptions {
  service: string;
  nodeId: string;
  /** OTLP/HTTP traces URL; empty = no spans are recorded (trace context still flows through). */
  endpoint: string;
  headers?: string;
}

export interface Tracing {
  tracer: Tracer;
  shutdown(): Promise<void>;
}

/**
 * One tracer per process, `service.name` = `honeymesh-<svc>` (issue 2). The SDK and the OTLP
 * exporter are loaded only when an endpoint is set: they cost ~20 MB of RSS in each of the six
 * processes (bench/footprint). Without them the API's no-op tracer still carries a received
 * `tp` through to what the process publishes next.
 */
export async function initTracing(opts: TracingOptions): Promise<Tracing> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (!opts.endpoint) return { tracer: trace.getTracer(`honeymesh-${opts.service}`), shutdown: async () => {} };
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }] = await Promise.all([
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace-base"),
  ]);
  const exporter = new OTLPTraceExporter({ url: opts.endpoint, headers: parseHeaders(opts.headers ?? "") });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": `honeymesh-${opts.service}`, "service.instance.id": opts.nodeId }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500, maxQueueSize: 2048 })],
  });
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: trace.getTracer(`honeymesh-${opts.service}`),
    shutdown: () => provider.shutdown(),
  };
}

/** OTEL_EXPORTER_OTLP_HEADERS format: `k1=v1,k2=v2` (values URL-encoded). */
function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(",")) {
    const i = pair.indexOf("=");
    if (i > 0) out[pair.slice(0, i).trim()] = decodeURIComponent(pair.slice(i + 1).trim());
  }
  return out;
}
