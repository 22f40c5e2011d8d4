import { runService } from "@honeymesh/runtime/service";
import { BROKER_REFUSALS } from "@honeymesh/schema/metrics";
import { startBroker, type Broker } from "./broker.ts";

let broker: Broker | undefined;

await runService("busd", {
  async prepare({ config, logger }) {
    broker = await startBroker(config.bus.listen, config.node.state_dir, logger);
    return () => broker!.close();
  },
  async start() {
    // prepare() ran first, so the broker exists.
    const b = broker!;
    return {
      metrics: () => ({ clients: b.clients(), refused: b.refused.pick(BROKER_REFUSALS) }),
    };
  },
});
