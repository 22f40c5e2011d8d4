import { busSocketPath } from "@honeymesh/runtime/bus-url";
import { runService } from "@honeymesh/runtime/service";
import { BROKER_ADMISSION_DROPS, BROKER_REFUSALS, type SameNames } from "@honeymesh/schema/metrics";
import type { Refusal } from "./access.ts";
import { startBroker, type Broker } from "./broker.ts";

let broker: Broker | undefined;
// Every refusal the broker counts has its key in the metrics, and no other.
const sameNames: SameNames<Refusal, (typeof BROKER_REFUSALS)[number]> = true;
void sameNames;

await runService("busd", {
  async prepare({ config, logger }) {
    broker = await startBroker({ listen: config.bus.listen, socket: busSocketPath(config), stateDir: config.node.state_dir }, logger);
    return () => broker!.close();
  },
  async start() {
    // prepare() ran first, so the broker exists.
    const b = broker!;
    return {
      metrics: () => ({ clients: b.clients(), refused: b.refused.pick(BROKER_REFUSALS), connections: b.admission.gauges(), admission: b.admission.drops.pick(BROKER_ADMISSION_DROPS) }),
    };
  },
});
