import { context, propagation, trace, type Context } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

const propagator = new W3CTraceContextPropagator();
const getter = { get: (c: Record<string, string>, k: string) => c[k], keys: (c: Record<string, string>) => Object.keys(c) };

/** The W3C traceparent of the span active in `ctx` (DESIGN §2 `tp`), if any. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  if (!trace.getSpanContext(ctx)) return undefined;
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, { set: (c, k, v) => (c[k] = v) });
  return carrier.traceparent;
}

/** A context whose remote parent is the given traceparent; the root context when absent or bad. */
export function contextFromTraceparent(tp: string | undefined): Context {
  if (!tp) return context.active();
  return propagator.extract(context.active(), { traceparent: tp }, getter);
}

export { propagation };
