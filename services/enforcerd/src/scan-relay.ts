import { context, type Tracer } from "@opentelemetry/api";
import type { SynObservation } from "@honeymesh/schema/syn";
import type { Logger } from "@honeymesh/telemetry/logger";
import type { KernelPort } from "./kernel-port.ts";

/**
 * Drains the kernel's scan events (one per source per window, emitted by the XDP program) and
 * publishes each as an `hm/v1/enforcerd/syn` observation for scand.
 */
export function relayScanEvents(kernel: KernelPort, windowS: number, publish: (o: SynObservation, ctx: ReturnType<typeof context.active>) => Promise<void>, logger: Logger, tracer: Tracer) {
  const timer = setInterval(() => {
    try {
      kernel.pollScanEvents((e) => {
        // A kernel observation starts a ban's trace: scand and enforcerd continue it.
        tracer.startActiveSpan("enforcerd.scan_event", { attributes: { "hm.src": e.src, "hm.port_count": e.portCount } }, (span) => {
          publish({ src: e.src, ports: e.ports.slice(0, 64), port_count: e.portCount, window_s: windowS, at: e.atMs }, context.active())
            .catch((err) => logger.warn("syn publish failed", { err }))
            .finally(() => span.end());
        });
      });
    } catch (err) {
      logger.warn("scan event poll failed", { err: err as Error });
    }
  }, 50);
  return { stop: () => clearInterval(timer) };
}
