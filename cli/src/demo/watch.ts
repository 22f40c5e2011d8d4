import { BusClient } from "@honeymesh/bus/client";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { loadSigningKey, readJwks } from "@honeymesh/keys/keystore";
import { busUrl } from "@honeymesh/runtime/bus-url";
import type { Kind } from "@honeymesh/schema/topics";
import { createLogger } from "@honeymesh/telemetry/logger";

const KINDS: Kind[] = ["hit", "session", "syn", "decision", "ban", "health", "metrics"];

/**
 * `honeymesh __watch`: prints every verified bus event as one JSON line {topic, d}. The demo runs
 * it inside the node's namespace (the bus is that namespace's loopback) and renders its output.
 */
export async function watchCommand(config: FrozenConfig, nodeId: string): Promise<number> {
  const bus = await BusClient.connect({
    url: busUrl(config.bus.listen),
    key: await loadSigningKey(config.node.state_dir, "honeymesh", nodeId),
    jwks: () => readJwks(config.node.state_dir),
    logger: createLogger("watch", "error", (l) => process.stderr.write(l)),
    clientId: `honeymesh-watch-${process.pid}@${nodeId}`,
  });
  for (const kind of KINDS) {
    await bus.subscribe("+", kind, (d, meta) => {
      const items: unknown[] = kind === "session" ? (d as { sessions: unknown[] }).sessions : [d];
      for (const item of items) process.stdout.write(`${JSON.stringify({ topic: `hm/v1/${meta.producer}/${kind}`, d: item })}\n`);
    });
  }
  process.stdout.write(`${JSON.stringify({ topic: "watch/ready", d: {} })}\n`);
  await new Promise(() => {});
  return 0;
}
