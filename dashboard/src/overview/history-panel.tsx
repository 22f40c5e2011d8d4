import { useEffect, useState } from "preact/hooks";
import type { HistoryPoint } from "../api/types.ts";
import type { Session } from "../session/session.ts";
import { Panel } from "../ui/panel.tsx";
import { useSignal } from "../ui/signal.ts";
import { loadSeries, RANGES, withTail, type RangeName, type Series } from "./history-range.ts";
import { TimeChart, type TimeSeries } from "./time-chart.tsx";

// Per-minute rows are written when a minute ends: re-reading every 20 s moves the window and
// brings in the minutes just written; the live stream fills the minute in between.
const RELOAD_MS = 20_000;
const chosen = new WeakMap<object, RangeName>();

type Key = "hits" | "sessions" | "decisions" | "bans_added" | "bans_ended" | "bans_active" | "xdp_dropped" | "xdp_passed";

/** The series' value per bucket, with the live tail added to the bucket it falls in. */
function pointsOf(s: Series, key: Key, activeNow: number | undefined): { t: number; v: number }[] {
  const out = s.points.map((p: HistoryPoint) => ({ t: p.t, v: p[key] }));
  const tail = s.tail;
  if (!tail) return out;
  if (key === "bans_active") {
    if (activeNow === undefined) return out;
    const last = out[out.length - 1];
    if (last && last.t === tail.t) last.v = activeNow;
    else out.push({ t: tail.t, v: activeNow });
    return out;
  }
  if (key !== "hits" && key !== "decisions" && key !== "bans_added" && key !== "bans_ended") return out;
  const add = tail[key];
  if (!add) return out;
  const last = out[out.length - 1];
  if (last && last.t === tail.t) last.v += add;
  else out.push({ t: tail.t, v: add });
  return out;
}

/** Bans, trap activity and kernel drops over 1 h / 24 h / 7 d / 30 d, from apid's history. */
export function HistoryPanel({ s, activeNow }: { s: Session; activeNow: number | undefined }) {
  const [range, setRange] = useState<RangeName>(chosen.get(s) ?? "24h");
  const [series, setSeries] = useState<Series | null>(null);
  const [error, setError] = useState<string | undefined>();
  useSignal(s.store.version);
  useEffect(() => {
    chosen.set(s, range);
    const ctl = new AbortController();
    const load = () =>
      loadSeries(s.api, range, ctl.signal).then(
        (x) => (setSeries(x), setError(undefined)),
        (e: Error) => !ctl.signal.aborted && setError(e.message),
      );
    setSeries(null);
    void load();
    const t = setInterval(load, RELOAD_MS);
    return () => (clearInterval(t), ctl.abort());
  }, [s, range]);
  // Until the chosen range has loaded, nothing is drawn (never one range's data under another's label).
  const cur = series && series.range === range ? withTail(series, s.store.buckets) : null;
  const ser = (name: string, key: Key, tone: string, kind: TimeSeries["kind"]): TimeSeries => ({ name, tone, kind, points: cur ? pointsOf(cur, key, activeNow) : [] });
  const stepLabel = RANGES[range].stepS >= 3600 ? `${RANGES[range].stepS / 3600} h` : `${RANGES[range].stepS / 60} min`;
  return (
    <Panel
      title="Over time"
      class="panel-history"
      actions={
        <div class="seg-range" role="group" aria-label="History range">
          {(Object.keys(RANGES) as RangeName[]).map((r) => (
            <button key={r} type="button" class={r === range ? "on" : ""} aria-pressed={r === range} data-range={r} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      }
    >
      {error && <p class="banner banner-danger">History: {error}</p>}
      {cur ? (
        <div class="history" data-range={cur.range} data-from={cur.from} data-to={cur.to} data-step={cur.stepMs}>
          <div class="muted small">
            last {RANGES[range].label}, per {stepLabel} · recorded by apid each minute, the current minute from the live stream
          </div>
          <div class="history-grid">
            <div>
              <h3>Trap activity</h3>
              <TimeChart from={cur.from} to={cur.to} stepMs={cur.stepMs} label="trap hits and sessions" series={[ser("hits", "hits", "danger", "bars"), ser("sessions", "sessions", "warn", "bars")]} />
            </div>
            <div>
              <h3>Bans</h3>
              <TimeChart from={cur.from} to={cur.to} stepMs={cur.stepMs} label="active bans" series={[ser("active", "bans_active", "accent", "line")]} />
              <TimeChart from={cur.from} to={cur.to} stepMs={cur.stepMs} height={60} label="bans added and ended" series={[ser("added", "bans_added", "accent", "bars"), ser("ended", "bans_ended", "neutral", "bars")]} />
            </div>
            <div>
              <h3>Kernel (XDP) packets</h3>
              <TimeChart from={cur.from} to={cur.to} stepMs={cur.stepMs} label="packets dropped and passed" series={[ser("dropped", "xdp_dropped", "danger", "bars"), ser("passed", "xdp_passed", "neutral", "bars")]} />
            </div>
          </div>
        </div>
      ) : (
        !error && <p class="empty">loading history…</p>
      )}
    </Panel>
  );
}
