import { num } from "../ui/format.ts";

export interface TimeSeries {
  name: string;
  tone: string;
  /** Buckets by start time; missing buckets (apid not running) stay gaps. */
  points: { t: number; v: number }[];
  /** Bars sum per bucket (counts); a line joins levels (active bans, rates). */
  kind: "bars" | "line";
}

const W = 600;
const pad2 = (n: number) => String(n).padStart(2, "0");

function tick(t: number, spanMs: number): string {
  const d = new Date(t);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return spanMs > 86_400_000 ? `${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}${spanMs <= 8 * 86_400_000 ? ` ${hm}` : ""}` : hm;
}

/**
 * One chart over a time window [from, to): x is time (so gaps stay gaps), y from 0 to the max.
 * Each series carries its values as data attributes (what is drawn is what the API said).
 */
export function TimeChart({ from, to, stepMs, series, label, height = 110, unit = "" }: { from: number; to: number; stepMs: number; series: TimeSeries[]; label: string; height?: number; unit?: string }) {
  const span = Math.max(1, to - from);
  const max = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.v)));
  const x = (t: number) => ((t - from) / span) * W;
  const y = (v: number) => height - 1 - (v / max) * (height - 8);
  const bars = series.filter((s) => s.kind === "bars");
  const bw = Math.max(1, (stepMs / span) * W);
  const empty = series.every((s) => s.points.length === 0);
  return (
    <figure class="tchart" data-chart={label}>
      <div class="tchart-plot">
        <span class="tchart-max mono">
          {num(Math.round(max))}
          {unit}
        </span>
        <svg viewBox={`0 0 ${W} ${height}`} preserveAspectRatio="none" role="img" aria-label={label}>
          <line x1="0" y1={height - 0.5} x2={W} y2={height - 0.5} class="axis" />
          {series.map((s) => {
            const data = s.points.map((p) => `${p.t}:${p.v}`).join(",");
            if (s.kind === "bars") {
              const i = bars.indexOf(s);
              const w = bw / bars.length;
              return (
                <g key={s.name} class={`bars tone-${s.tone}`} data-series={s.name} data-points={data}>
                  {s.points.map((p) => p.v > 0 && <rect key={p.t} x={x(p.t) + i * w} y={y(p.v)} width={Math.max(0.6, w * 0.85)} height={height - 1 - y(p.v)} />)}
                </g>
              );
            }
            // A gap (a bucket with no recorded minute) breaks the line.
            const runs: string[][] = [];
            let prev: number | undefined;
            for (const p of s.points) {
              if (prev === undefined || p.t - prev > stepMs) runs.push([]);
              runs[runs.length - 1]!.push(`${(x(p.t) + bw / 2).toFixed(1)},${y(p.v).toFixed(1)}`);
              prev = p.t;
            }
            return (
              <g key={s.name} class={`line tone-${s.tone}`} data-series={s.name} data-points={data}>
                {runs.map((r, i) => (r.length > 1 ? <polyline key={i} points={r.join(" ")} vector-effect="non-scaling-stroke" /> : <circle key={i} cx={r[0]!.split(",")[0]} cy={r[0]!.split(",")[1]} r="1.5" />))}
              </g>
            );
          })}
        </svg>
        {empty && <span class="tchart-empty muted">nothing recorded in this range</span>}
      </div>
      <div class="tchart-ticks mono muted" aria-hidden="true">
        <span>{tick(from, span)}</span>
        <span>{tick(from + span / 2, span)}</span>
        <span>{tick(to, span)}</span>
      </div>
      <figcaption>
        {series.map((s) => {
          const total = s.points.reduce((a, p) => a + p.v, 0);
          const last = s.points[s.points.length - 1]?.v ?? 0;
          return (
            <span key={s.name} class="legend" data-legend={s.name}>
              <i class={`sw tone-${s.tone}`} /> {s.name} <b>{num(Math.round(s.kind === "bars" ? total : last))}</b>
              <span class="muted">{s.kind === "bars" ? " in range" : " now"}</span>
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
}
