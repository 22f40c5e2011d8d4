import { useLayoutEffect } from "preact/hooks";

/**
 * Render timings, read by bench/dashboard/run.ts from `window.__hmPerf`. An update is timed from
 * the moment its data is handed to the views to the end of the synchronous layout it causes
 * (forced here by reading offsetHeight), so the figure includes diffing, DOM work and layout.
 */
interface Perf {
  samples: Record<string, number[]>;
  longTasks: number[];
}

const MAX_SAMPLES = 20_000;
const perf: Perf = { samples: {}, longTasks: [] };
(globalThis as { __hmPerf?: Perf }).__hmPerf = perf;

let pending = 0;
let pendingKind = "data";

if (typeof PerformanceObserver !== "undefined" && PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (perf.longTasks.length < MAX_SAMPLES) perf.longTasks.push(e.duration);
  }).observe({ entryTypes: ["longtask"] });
}

/** Called when new data is published to the views (kind "data") or the user scrolls ("scroll"). */
export function markUpdate(kind = "data"): void {
  if (!pending) (pending = performance.now()), (pendingKind = kind);
}

/** In a view: records the time from the last markUpdate of `kind` to this render's committed layout. */
export function useRenderTiming(view: string, kind = "data"): void {
  useLayoutEffect(() => {
    if (!pending || pendingKind !== kind) return;
    void document.body.offsetHeight;
    const list = (perf.samples[view] ??= []);
    if (list.length < MAX_SAMPLES) list.push(performance.now() - pending);
    pending = 0;
  });
}
