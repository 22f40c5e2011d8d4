import { num } from "../ui/format.ts";

/** A small line chart of one or more series over the same x (no axes: values are in the legend). */
export function Spark({ series, height = 80, label }: { series: { name: string; values: number[]; tone: string }[]; height?: number; label: string }) {
  const w = 300;
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  if (n < 2 || series.every((s) => s.values.length < 2)) return <p class="empty">collecting… (a point every 2 s)</p>;
  const pts = (v: number[]) => v.map((y, i) => `${((i / (n - 1)) * w).toFixed(1)},${(height - 2 - (y / max) * (height - 6)).toFixed(1)}`).join(" ");
  return (
    <figure class="spark">
      <svg viewBox={`0 0 ${w} ${height}`} preserveAspectRatio="none" role="img" aria-label={label}>
        <line x1="0" y1={height - 1} x2={w} y2={height - 1} class="axis" />
        {series.map((s) => s.values.length > 1 && <polyline key={s.name} points={pts(s.values)} class={`line tone-${s.tone}`} vector-effect="non-scaling-stroke" />)}
      </svg>
      <figcaption>
        {series.map((s) => (
          <span key={s.name} class="legend">
            <i class={`sw tone-${s.tone}`} /> {s.name} <b>{num(Math.round(s.values[s.values.length - 1] ?? 0))}</b>
          </span>
        ))}
        <span class="muted">max {num(Math.round(max))}</span>
      </figcaption>
    </figure>
  );
}

/** Horizontal bars, largest first. */
export function Bars({ data, limit = 8, mono = false, empty = "nothing yet" }: { data: [string, number][]; limit?: number; mono?: boolean; empty?: string }) {
  const rows = [...data].sort((a, b) => b[1] - a[1]).slice(0, limit);
  const max = Math.max(1, ...rows.map((r) => r[1]));
  if (!rows.length) return <p class="empty">{empty}</p>;
  return (
    <ul class="bars">
      {rows.map(([k, v]) => (
        <li key={k}>
          <span class={`bar-label ${mono ? "mono" : ""}`} title={k}>
            {k}
          </span>
          <span class="bar-track">
            <span class="bar-fill" style={{ width: `${(v / max) * 100}%` }} />
          </span>
          <span class="bar-value mono">{num(v)}</span>
        </li>
      ))}
    </ul>
  );
}
