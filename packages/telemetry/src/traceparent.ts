import { context, isSpanContextValid, propagation, trace, TraceFlags, type Context } from "@opentelemetry/api";

/*
 * W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header), written
 * here rather than taken from @opentelemetry/core's W3CTraceContextPropagator: importing that
 * package costs every process ~7 MB of RSS (bench/footprint/imports.ts) for these few lines. Same
 * rules as the propagator: version ff, an all-zero trace or parent id, and trailing fields on
 * version 00 are invalid; later versions may append fields (§3.2.4, forward compatibility).
 */
const TRACEPARENT = /^\s?((?!ff)[\da-f]{2})-((?![0]{32})[\da-f]{32})-((?![0]{16})[\da-f]{16})-([\da-f]{2})(-.*)?\s?$/;

/** The W3C traceparent of the span active in `ctx` (DESIGN §2 `tp`), if any. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const sc = trace.getSpanContext(ctx);
  if (!sc || !isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-0${Number(sc.traceFlags || TraceFlags.NONE).toString(16)}`;
}

/** A context whose remote parent is the given traceparent; the active context when absent or bad. */
export function contextFromTraceparent(tp: string | undefined): Context {
  const active = context.active();
  if (!tp) return active;
  const m = TRACEPARENT.exec(tp);
  if (!m || (m[1] === "00" && m[5])) return active;
  return trace.setSpanContext(active, { traceId: m[2]!, spanId: m[3]!, traceFlags: parseInt(m[4]!, 16), isRemote: true });
}

export { propagation };
