import { runService } from "@honeymesh/runtime/service";
import { startBroker, type Broker } from "./broker.ts";

let broker: Broker | undefined;

await runService("busd", {
  async prepare({ config, logger }) {
    broker = await startBroker(config.bus.listen, config.node.state_dir, logger);
    return () => broker!.close();
  },
  async start() {
    return {
      health: () => ({
        status: "ok",
        details: { clients: broker?.clients() ?? 0, refused_total: broker?.refused.total() ?? 0, ...prefixed(broker?.refused.snapshot() ?? {}) },
      }),
    };
  },
});

function prefixed(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`refused_${k}`, v]));
}
