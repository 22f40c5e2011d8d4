import { context, type Tracer } from "@opentelemetry/api";
import type { SynObservation } from "@honeymesh/schema/syn";
import type { Logger } from "@honeymesh/telemetry/logger";
import { sampleClocks } from "./kernel/codec.ts";
import { decodeScanEvent, type ScanEvent } from "./kernel/scan-event.ts";
import { ringRelay } from "./ring-relay.ts";

type Publish = (o: SynObservation, ctx: ReturnType<typeof context.active>) => Promise<void>;

/**
 * Relays the kernel's scan events (one per source per window, emitted by the XDP program) as
 * `hm/v1/enforcerd/syn` observations for scand. A worker thread waits on the ring buffer so the
 * relay adds no polling delay. An event whose source the fast path already banned also goes to
 * `onKernelBan`, which records that ban in the store (KernelBanRecorder), in the same trace.
 */
export function relayScanEvents(eventsFd: number, windowS: number, publish: Publish, logger: Logger, tracer: Tracer, onKernelBan?: (ev: ScanEvent, ctx: ReturnType<typeof context.active>) => Promise<unknown>) {
  return ringRelay(eventsFd, "scan event", (rec) => {
    const ev = decodeScanEvent(rec, sampleClocks());
    if (!ev) return;
    // A kernel observation starts a ban's trace: scand and enforcerd continue it.
    return tracer.startActiveSpan("enforcerd.scan_event", { attributes: { "hm.src": ev.src, "hm.port_count": ev.portCount, "hm.kernel_banned": ev.kernelBanned } }, (span) => {
      const ctx = context.active();
      const sent = publish({ src: ev.src, ports: ev.ports.slice(0, 64), port_count: ev.portCount, window_s: windowS, at: ev.atMs, ...(ev.kernelBanned ? { kernel_banned: true } : {}) }, ctx).catch((err) => logger.warn("syn publish failed", { err }));
      // The observation goes out first: scand then correlates it before it hears of the ban, so
      // its own decision (and repeat-offender escalation) is not skipped as "already banned".
      const recorded = ev.kernelBanned && onKernelBan ? sent.then(() => onKernelBan(ev, ctx)).catch((err) => logger.warn("recording a fast-path ban failed", { err })) : undefined;
      return Promise.all([sent, recorded]).finally(() => span.end());
    });
  }, logger);
}
