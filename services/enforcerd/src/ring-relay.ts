import { join } from "node:path";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import type { Logger } from "@honeymesh/telemetry/logger";

/**
 * A worker thread blocked on one kernel ring buffer (scan-worker.ts) hands each record to
 * `onRecord` on this thread: no polling delay, no cost to the event loop. `what` names the ring
 * in warnings. stop() ends the worker (forcibly after 1.2 s).
 */
export function ringRelay(fd: number, what: string, onRecord: (rec: Uint8Array) => void, logger: Logger) {
  // From source even when this service runs bundled: the worker is its own entry point.
  const worker = new Worker(join(SOURCE_ROOT, "services/enforcerd/src/scan-worker.ts"));
  worker.onmessage = (e: MessageEvent<Uint8Array | string | { error: string }>) => {
    if (e.data instanceof Uint8Array) onRecord(e.data);
    else if (typeof e.data === "object") logger.warn(`${what} poll failed`, { err: e.data.error });
  };
  worker.postMessage({ fd });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = setTimeout(() => (worker.terminate(), resolve()), 1_200);
        worker.addEventListener("message", (e) => e.data === "stopped" && (clearTimeout(done), worker.terminate(), resolve()));
        worker.postMessage("stop");
      }),
  };
}
