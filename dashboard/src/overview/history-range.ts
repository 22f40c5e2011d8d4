import type { Api } from "../api/client.ts";
import type { HistoryPoint } from "../api/types.ts";

/** The live store's 10 s counts (live-store.ts `Bucket`; restated so this file stays free of UI imports). */
interface Bucket {
  t: number;
  hits: number;
  decisions: number;
  added: number;
  removed: number;
}

/** The over-time ranges, each with a step that gives 60–180 points (apid buckets per-minute rows). */
export const RANGES = {
  "1h": { ms: 3_600_000, stepS: 60, label: "1 hour" },
  "24h": { ms: 86_400_000, stepS: 600, label: "24 hours" },
  "7d": { ms: 7 * 86_400_000, stepS: 3600, label: "7 days" },
  "30d": { ms: 30 * 86_400_000, stepS: 4 * 3600, label: "30 days" },
} as const;
export type RangeName = keyof typeof RANGES;

const MINUTE = 60_000;

export interface Series {
  range: RangeName;
  from: number;
  to: number;
  stepMs: number;
  /** Buckets apid recorded (only those holding recorded minutes). */
  points: HistoryPoint[];
  /**
   * What the live stream counted since the last recorded minute ended (apid writes a minute when
   * it is over): appended so the newest bucket moves as events arrive.
   */
  tail: { t: number; hits: number; decisions: number; bans_added: number; bans_ended: number } | null;
}

/** The range's window, aligned on its step so successive loads keep the same buckets. */
export function windowOf(range: RangeName, now = Date.now()): { from: number; to: number; stepMs: number } {
  const r = RANGES[range];
  const stepMs = r.stepS * 1000;
  const to = Math.ceil((now + 1) / stepMs) * stepMs;
  return { from: to - Math.ceil(r.ms / stepMs) * stepMs, to, stepMs };
}

export async function loadSeries(api: Api, range: RangeName, signal?: AbortSignal): Promise<Series> {
  const w = windowOf(range);
  const h = await api.history(w.from, w.to, RANGES[range].stepS, signal);
  return { range, from: h.from, to: h.to, stepMs: h.step * 1000, points: h.points, tail: null };
}

/**
 * The live tail: the stream's 10 s buckets after the last minute apid has recorded (the current,
 * unfinished minute and any not yet written), summed into the series' last bucket.
 */
export function withTail(s: Series, live: readonly Bucket[], now = Date.now()): Series {
  const recordedUntil = Math.floor(now / MINUTE) * MINUTE;
  let hits = 0;
  let decisions = 0;
  let added = 0;
  let ended = 0;
  for (const b of live) {
    if (b.t < recordedUntil) continue;
    hits += b.hits;
    decisions += b.decisions;
    added += b.added;
    ended += b.removed;
  }
  const t = s.from + Math.floor((recordedUntil - s.from) / s.stepMs) * s.stepMs;
  return { ...s, tail: { t, hits, decisions, bans_added: added, bans_ended: ended } };
}
