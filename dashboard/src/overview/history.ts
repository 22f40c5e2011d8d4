import type { Status } from "../api/types.ts";

export interface Sample {
  t: number;
  dropped: number;
  wouldDrop: number;
  passed: number;
  bans: number;
  /** Per reason (enforcerd's `kernel_dropped_<reason>` counters): dropped and would-drop rates. */
  droppedBy: Record<string, number>;
}

const MAX = 180;

/**
 * Kernel counters are totals; rates come from successive /v1/status answers. Kept per session
 * (a WeakMap), so leaving the overview and coming back keeps the curve.
 */
export class History {
  readonly samples: Sample[] = [];
  private last: { t: number; k: Record<string, number> } | undefined;

  add(s: Status, t = Date.now()): void {
    const k = s.kernel;
    const prev = this.last;
    this.last = { t, k };
    if (!prev) return;
    const dt = (t - prev.t) / 1000;
    if (dt <= 0) return;
    // A counter that went down was reset (enforcerd restarted): count from zero.
    const r = (name: string) => {
      const a = prev.k[name] ?? 0;
      const b = k[name] ?? 0;
      return (b >= a ? b - a : b) / dt;
    };
    const droppedBy: Record<string, number> = {};
    for (const name of Object.keys(k)) {
      const m = /^(dropped|would_drop)_([a-z]+)$/.exec(name);
      if (m && m[2] !== "total") droppedBy[m[2]!.toUpperCase()] = (droppedBy[m[2]!.toUpperCase()] ?? 0) + r(name);
    }
    this.samples.push({ t, dropped: r("dropped"), wouldDrop: r("would_drop"), passed: r("passed"), bans: s.active_bans, droppedBy });
    if (this.samples.length > MAX) this.samples.shift();
  }
}

const histories = new WeakMap<object, History>();
export function historyOf(key: object): History {
  let h = histories.get(key);
  if (!h) histories.set(key, (h = new History()));
  return h;
}
