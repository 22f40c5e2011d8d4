import { expect, test } from "bun:test";
import { trace } from "@opentelemetry/api";
import { contextFromTraceparent, traceparentOf } from "./traceparent.ts";

test("a received traceparent flows on even without a recording SDK", () => {
  const tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const ctx = contextFromTraceparent(tp);
  expect(traceparentOf(ctx)).toBe(tp);
  const child = trace.getTracer("t").startSpan("child", {}, ctx);
  expect(child.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
  expect(traceparentOf(contextFromTraceparent("garbage"))).toBeUndefined();
  expect(traceparentOf(contextFromTraceparent(undefined))).toBeUndefined();
});

test("traceparent validity follows W3C Trace Context §3.2 (as the OpenTelemetry propagator does)", () => {
  const id = "0af7651916cd43dd8448eb211c80319c";
  const span = "b7ad6b7169203331";
  const back = (tp: string) => traceparentOf(contextFromTraceparent(tp));
  expect(back(`00-${id}-${span}-00`)).toBe(`00-${id}-${span}-00`);
  for (const bad of [`ff-${id}-${span}-01`, `00-${"0".repeat(32)}-${span}-01`, `00-${id}-${"0".repeat(16)}-01`, `00-${id}-${span}-01-extra`, `00-${id.toUpperCase()}-${span}-01`, `00-${id}-${span}`]) expect(back(bad)).toBeUndefined();
  // A later version may carry more fields; what we send on is version 00.
  expect(back(`01-${id}-${span}-01-future`)).toBe(`00-${id}-${span}-01`);
});
