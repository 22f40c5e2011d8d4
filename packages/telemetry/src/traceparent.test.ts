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
