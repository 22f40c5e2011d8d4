import type { KernelCounters, Status } from "../api/types.ts";

export interface Sample {
  t: number;
  dropped: number;
  wouldDrop: number;
  passed: number;
  bans: number;
  /** Per reason (enforcerd's typed per-reason kernel counters): dropped plus would-drop rate. */
  droppedBy: Record<string, number>;
}

const MAX = 180;

/**
 * Kernel counters are totals; rates come from successive /v1/status answers. Kept per session
 * (a WeakMap), so leaving the overview and coming back keeps the curve.
 */
export class History {
  readonly samples: Sample[] = [];
  private last: { t: number; k: KernelCounters | null } | undefined;

  add(s: Status, t = Date.now()): void {
    const k = s.kernel;
    const prev = this.last;
    this.last = { t, k };
    if (!prev) return;
    const dt = (t - prev.t) / 1000;
    if (dt <= 0) return;
    // A counter that went down was reset (enforcerd restarted): count from zero.
    const r = (a = 0, b = 0) => (b >= a ? b - a : b) / dt;
    const droppedBy: Record<string, number> = {};
    for (const name of Object.keys(k?.dropped_by_reason ?? {})) {
      droppedBy[name] = r(prev.k?.dropped_by_reason[name], k?.dropped_by_reason[name]) + r(prev.k?.would_drop_by_reason[name], k?.would_drop_by_reason[name]);
    }
    this.samples.push({ t, dropped: r(prev.k?.dropped, k?.dropped), wouldDrop: r(prev.k?.would_drop, k?.would_drop), passed: r(prev.k?.passed, k?.passed), bans: s.active_bans, droppedBy });
    if (this.samples.length > MAX) this.samples.shift();
  }
}

const histories = new WeakMap<object, History>();
export function historyOf(key: object): History {
  let h = histories.get(key);
  if (!h) histories.set(key, (h = new History()));
  return h;
}
