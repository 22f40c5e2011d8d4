import { afterAll, beforeAll, expect, test } from "bun:test";
import { createConnection, type Socket } from "node:net";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { BusClient } from "../packages/bus/src/client.ts";
import type { MetricsOf } from "../packages/schema/src/metrics.ts";
import { ROOT, TestNode, waitFor } from "./support/bus-node.ts";

// Issue 13: 1 100 idle sockets once kept a restarted trapd off the bus. Now unauthenticated TCP
// holders are bounded and short-lived, and the node's services use the Unix socket, which
// they cannot fill.
const HOLDERS = 2_000;
const node = new TestNode();
let watcher: BusClient;
let scand: Subprocess;
const health = new Map<number, number>(); // pid → first health seen at
let busd: MetricsOf<"busd"> | undefined;
const holders: Socket[] = [];

function hold(n: number, localAddress: string): Promise<void> {
  return new Promise((resolve) => {
    let settled = 0;
    for (let i = 0; i < n; i++) {
      const s = createConnection({ host: "127.0.0.1", port: node.busPort, localAddress });
      s.on("error", () => {});
      const done = () => {
        s.off("connect", done);
        if (++settled === n) resolve();
      };
      s.once("connect", done);
      s.once("close", done);
      holders.push(s);
    }
  });
}

beforeAll(async () => {
  await node.init();
  await node.startBusd();
  watcher = await node.client("honeymesh", "starvation-watcher", "unix");
  await watcher.subscribe("scand", "health", (h) => void (health.has(h.pid) || health.set(h.pid, Date.now())));
  await watcher.subscribe("busd", "metrics", (m) => void (busd = m as MetricsOf<"busd">));
  scand = node.spawn([process.execPath, join(ROOT, "services/scand/src/main.ts")]);
  await waitFor(() => health.has(scand.pid), 15_000, "scand's first health");
}, 30_000);

afterAll(async () => {
  for (const s of holders) s.destroy();
  await node.stop();
});

test(`${HOLDERS} idle TCP connections do not keep a restarted scand off the bus`, async () => {
  scand.kill("SIGKILL");
  await scand.exited;
  // Half from 127.0.0.2, half from 127.0.0.1 (where a TCP service would come from).
  await Promise.all([hold(HOLDERS / 2, "127.0.0.2"), hold(HOLDERS / 2, "127.0.0.1")]);
  const t0 = Date.now();
  scand = node.spawn([process.execPath, join(ROOT, "services/scand/src/main.ts")]);
  await waitFor(() => health.has(scand.pid), 10_000, "the restarted scand's first health");
  console.log(`restarted scand joined the bus ${health.get(scand.pid)! - t0} ms after its start, ${HOLDERS} TCP holders open`);
  // A client on the socket joins at once too.
  const t1 = Date.now();
  const extra = await node.client("trapd", "starvation-trapd", "unix");
  console.log(`a client on the Unix socket connected in ${Date.now() - t1} ms`);
  expect(extra.connected).toBe(true);
}, 30_000);

test("no unauthenticated holder outlives the connect timeout; every one is counted", async () => {
  await waitFor(() => holders.every((s) => s.destroyed || s.closed), 6_000, "the broker to close every holder");
  await waitFor(() => busd !== undefined && Object.values(busd.admission).reduce((a, b) => a + b, 0) >= HOLDERS, 5_000, "busd metrics counting every holder");
  const m = busd!;
  console.log("busd admission", JSON.stringify(m.admission), "connections", JSON.stringify(m.connections));
  expect(m.admission.tcp_source_cap).toBeGreaterThan(0);
  expect(m.admission.connect_timeout).toBeGreaterThan(0);
  expect(m.admission.connect_timeout + m.admission.tcp_source_cap + m.admission.tcp_pending_cap + m.admission.tcp_cap).toBe(HOLDERS);
  expect(m.connections.pending).toBe(0);
  expect(m.connections.unix).toBeGreaterThanOrEqual(3); // watcher, scand, extra trapd
}, 20_000);

test("an authenticated TCP client still gets in while another source floods", async () => {
  await hold(500, "127.0.0.2");
  const c = await node.client("meshd", "starvation-meshd-tcp");
  expect(c.connected).toBe(true);
}, 20_000);
