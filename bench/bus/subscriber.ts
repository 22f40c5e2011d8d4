// The receiving side of bench/bus: verifies every message and reports counts and latencies.
// argv: stateDir nodeId busPort expected
import { BusClient } from "../../packages/bus/src/client.ts";
import { loadSigningKey, readJwks } from "../../packages/keys/src/keystore.ts";
import { createLogger } from "../../packages/telemetry/src/logger.ts";

const [stateDir, nodeId, port] = process.argv.slice(2) as [string, string, string];
const bus = await BusClient.connect({
  url: `mqtt://127.0.0.1:${port}`,
  key: await loadSigningKey(stateDir, "enforcerd", nodeId),
  jwks: () => readJwks(stateDir),
  logger: createLogger("bench", "error"),
  clientId: `bench-sub-${process.pid}`,
});
let latencies: number[] = [];
let count = 0;
await bus.subscribe("scand", "probe", (d) => {
  count++;
  latencies.push(performance.timeOrigin + performance.now() - d.sent_ns / 1e6);
});
process.stdout.write("ready\n");
// Commands on stdin: "report" prints {count, latencies} and resets.
for await (const line of console) {
  if (line.trim() === "report") {
    await bus.drain();
    process.stdout.write(`${JSON.stringify({ count, rejected: bus.rejected.total(), latencies })}\n`);
    latencies = [];
    count = 0;
  } else if (line.trim() === "exit") {
    await bus.close(true);
    process.exit(0);
  }
}
