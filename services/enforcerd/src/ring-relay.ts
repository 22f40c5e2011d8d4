import { join } from "node:path";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import type { Logger } from "@honeymesh/telemetry/logger";

/** Records handed over but not yet finished, at most (scan-worker.ts's credit). */
const WINDOW = 4096;
/** Credit goes back in steps, not one message per record. */
const STEP = 256;

/**
 * A worker thread blocked on one kernel ring buffer (scan-worker.ts) hands each record to
 * `onRecord` on this thread: no polling delay, no cost to the event loop. A record counts as
 * finished when what onRecord returns settles (its bus publish), so at most WINDOW records are
 * ever in flight here; beyond that the kernel's ring buffer holds them, and drops and counts what
 * does not fit. `what` names the ring in warnings. stop() ends the worker (forcibly after 1.2 s).
 */
export function ringRelay(fd: number, what: string, onRecord: (rec: Uint8Array) => Promise<unknown> | void, logger: Logger) {
  // From source even when this service runs bundled: the worker is its own entry point.
  const worker = new Worker(join(SOURCE_ROOT, "services/enforcerd/src/scan-worker.ts"));
  let done = 0;
  const finished = () => {
    if (++done < STEP) return;
    worker.postMessage({ credit: done });
    done = 0;
  };
  worker.onmessage = (e: MessageEvent<Uint8Array | string | { error: string }>) => {
    if (e.data instanceof Uint8Array) {
      let r: Promise<unknown> | void = undefined;
      try {
        r = onRecord(e.data);
      } catch (err) {
        logger.warn(`${what} relay failed`, { err: err as Error });
      }
      if (r) void r.then(finished, finished); // a failed publish is the handler's to report; its credit still comes back
      else finished();
    } else if (typeof e.data === "object") logger.warn(`${what} poll failed`, { err: e.data.error });
  };
  worker.postMessage({ fd, credit: WINDOW });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => (worker.terminate(), resolve()), 1_200);
        worker.addEventListener("message", (e) => e.data === "stopped" && (clearTimeout(timer), worker.terminate(), resolve()));
        worker.postMessage("stop");
      }),
  };
}
