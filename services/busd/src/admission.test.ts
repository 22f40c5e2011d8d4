import { afterAll, expect, test } from "bun:test";
import { createConnection, createServer, type Socket } from "node:net";
import { createLogger } from "@honeymesh/telemetry/logger";
import { createAdmission } from "./admission.ts";

const admission = createAdmission(createLogger("test", "error", () => {}), { connectTimeoutMs: 300, maxPendingTcp: 3, maxPendingPerSource: 2, maxTcp: 5 });
const accepted: Socket[] = [];
const server = createServer((s) => {
  if (admission.admit(s, "tcp")) accepted.push(s);
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
const port = (server.address() as { port: number }).port;
const clients: Socket[] = [];
const open = (localAddress: string) =>
  new Promise<Socket>((resolve) => {
    const c = createConnection({ host: "127.0.0.1", port, localAddress });
    c.on("error", () => {});
    c.once("connect", () => resolve(c));
    clients.push(c);
  });
const settle = () => Bun.sleep(50);
afterAll(() => {
  for (const c of clients) c.destroy();
  server.close();
});

test("per-source, pending and total caps; authenticated connections leave the pending count; silent ones time out", async () => {
  await open("127.0.0.1");
  await open("127.0.0.1");
  await open("127.0.0.1"); // third from one source: refused
  await settle();
  expect(admission.drops.pick(["tcp_source_cap"]).tcp_source_cap).toBe(1);
  expect(admission.gauges()).toEqual({ unix: 0, tcp: 2, pending: 2 });

  // One of them authenticates: its source may open another pending one.
  admission.authenticated(accepted[0]);
  await open("127.0.0.1");
  await settle();
  expect(admission.gauges()).toEqual({ unix: 0, tcp: 3, pending: 2 });

  await open("127.0.0.2"); // pending is now 3 = maxPendingTcp
  await open("127.0.0.3");
  await settle();
  expect(admission.drops.pick(["tcp_pending_cap"]).tcp_pending_cap).toBe(1);
  expect(admission.gauges().tcp).toBe(4);
  // Two more authenticate: pending has room again, but the total (5) is reached whatever the source.
  admission.authenticated(accepted[1]);
  admission.authenticated(accepted[2]);
  await open("127.0.0.4");
  await open("127.0.0.5");
  await settle();
  expect(admission.drops.pick(["tcp_cap"]).tcp_cap).toBe(1);
  expect(admission.gauges()).toEqual({ unix: 0, tcp: 5, pending: 2 });

  // Every pending one is closed at the connect timeout; the authenticated ones stay.
  await Bun.sleep(400);
  expect(admission.drops.pick(["connect_timeout"]).connect_timeout).toBe(2);
  expect(admission.gauges()).toEqual({ unix: 0, tcp: 3, pending: 0 });
  expect(accepted.slice(0, 3).every((s) => !s.destroyed)).toBe(true);
});
