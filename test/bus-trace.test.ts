import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT, TestNode, waitFor } from "./support/bus-node.ts";

interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string }
interface OtlpBody { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] }

const node = new TestNode();
const spans: (OtlpSpan & { service: string })[] = [];
// An in-test OTLP/HTTP receiver (JSON encoding, as @opentelemetry/exporter-trace-otlp-http sends).
const receiver = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(req) {
    const body = (await req.json()) as OtlpBody;
    for (const rs of body.resourceSpans) {
      const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "";
      for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
    }
    return Response.json({});
  },
});
afterAll(async () => {
  receiver.stop(true);
  await node.stop();
});

test("a span in one process is the parent of a span in another after a bus hop", async () => {
  await node.init();
  await node.startBusd();
  const url = `http://127.0.0.1:${receiver.port}/v1/traces`;
  const args = (role: string) => [process.execPath, join(ROOT, "test/fixtures/trace-hop.ts"), role, node.stateDir, node.nodeId, String(node.busPort), url];
  const sub = Bun.spawn(args("subscriber"), { stdout: "pipe", stderr: "inherit" });
  const reader = sub.stdout.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain("ready");
  const pub = Bun.spawn(args("publisher"), { stdout: "ignore", stderr: "inherit" });
  expect(await pub.exited).toBe(0);
  expect(await sub.exited).toBe(0);
  await waitFor(() => spans.length >= 2, 5_000, "two spans at the receiver");
  const parent = spans.find((s) => s.name === "decide");
  const child = spans.find((s) => s.name === "apply decision");
  expect(parent?.service).toBe("honeymesh-scand");
  expect(child?.service).toBe("honeymesh-enforcerd");
  expect(child?.traceId).toBe(parent!.traceId);
  expect(child?.parentSpanId).toBe(parent!.spanId);
});
