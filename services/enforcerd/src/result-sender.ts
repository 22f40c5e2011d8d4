import type { BusClient } from "@honeymesh/bus/client";
import type { WriteResult } from "@honeymesh/schema/result";

const PER_MESSAGE = 128;

/**
 * Results go out in signed batches of at most 128 (one signature for many, DESIGN §2); a result
 * is at most ~1.5 KiB with a full `covered_by`, so a batch stays under the bus's message limit.
 */
export function resultSender(bus: BusClient): (results: WriteResult[]) => Promise<void> {
  return async (results) => {
    for (let i = 0; i < results.length; i += PER_MESSAGE) await bus.publish("result", { results: results.slice(i, i + PER_MESSAGE) });
  };
}
