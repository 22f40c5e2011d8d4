import { context, trace, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "./context-manager.ts";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

export interface TracingOptions {
  service: string;
  nodeId: string;
  /** OTLP/HTTP traces URL; empty = spans are created (context still propagates) but not exported. */
  endpoint: string;
  headers?: string;
}

export interface Tracing {
  tracer: Tracer;
  shutdown(): Promise<void>;
}

/**
 * One tracer per process, `service.name` = `honeymesh-<svc>` (issue 2). */
export async function initTracing(opts: TracingOptions): Promise<Tracing> {
  const processors: SpanProcessor[] = [];
  if (opts.endpoint) {
    // Loaded only when exporting: the exporter costs ~10 MB of RSS in every process otherwise.
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    const exporter = new OTLPTraceExporter({ url: opts.endpoint, headers: parseHeaders(opts.headers ?? "") });
    processors.push(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500, maxQueueSize: 2048 }));
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": `honeymesh-${opts.service}`, "service.instance.id": opts.nodeId }),
    spanProcessors: processors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
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
