import type { SynObservation } from "@honeymesh/schema/syn";
import type { Logger } from "@honeymesh/telemetry/logger";
import type { KernelPort } from "./kernel-port.ts";

/**
 * Drains the kernel's scan events (one per source per window, emitted by the XDP program) and
 * publishes each as an `hm/v1/enforcerd/syn` observation for scand.
 */
export function relayScanEvents(kernel: KernelPort, windowS: number, publish: (o: SynObservation) => Promise<void>, logger: Logger) {
  const timer = setInterval(() => {
    try {
      kernel.pollScanEvents((e) => {
        publish({ src: e.src, ports: e.ports.slice(0, 64), port_count: e.portCount, window_s: windowS, at: e.atMs }).catch((err) => logger.warn("syn publish failed", { err }));
      });
    } catch (err) {
      logger.warn("scan event poll failed", { err: err as Error });
    }
  }, 50);
  return { stop: () => clearInterval(timer) };
}
