import type { AttackResult } from "./attack.ts";

export interface Row {
  name: string;
  runs: AttackResult[];
  note?: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "—");
const pad = (s: string, n: number) => s.padEnd(n);
const times = (r: Row) => r.runs.map((x) => x.dropMs).filter((x): x is number => x !== null);
const fails = (r: Row) => r.runs.map((x) => x.failedPasswords);

/** The side-by-side table, one line per contender; median and max over its runs. */
export function table(rows: Row[], f2b: Row | undefined): string[] {
  const head = [pad("contender", 34), pad("failures through (med/max)", 28), pad("maxretry-th line → drop, ms (med/max)", 40), pad("hydra start → drop, ms (med/max)", 34), pad("bystander ok", 14), "F2B/this (med)"];
  const out = [head.join("")];
  for (const r of rows) {
    const t = times(r);
    const starts = r.runs.map((x) => x.sinceStartMs).filter((x): x is number => x !== null);
    const never = r.runs.filter((x) => !x.dropped).length;
    const early = r.runs.filter((x) => x.dropped && x.dropMs === null).length;
    const notes = [never ? `${never} never dropped` : "", early ? `${early} dropped before a maxretry-th line` : ""].filter(Boolean).join(", ");
    const ratio = f2b && r !== f2b ? median(times(f2b)) / median(t) : Number.NaN;
    out.push(
      [
        pad(r.name, 34),
        pad(`${fmt(median(fails(r)), 1)} / ${Math.max(...fails(r))}`, 28),
        pad(`${fmt(median(t), 1)} / ${fmt(Math.max(...t), 1)}`, 40),
        pad(`${fmt(median(starts), 1)} / ${fmt(Math.max(...starts), 1)}`, 34),
        pad(`${r.runs.filter((x) => x.bystanderOk).length}/${r.runs.length}`, 14),
        pad(r === f2b ? "1×" : Number.isFinite(ratio) ? `${fmt(ratio, 1)}×` : "—", 16),
        notes,
      ]
        .join("")
        .trimEnd(),
    );
  }
  return out;
}

/** Paired rounds: round i of one contender against round i of Fail2Ban. */
export function everyRound(a: Row, b: Row, ok: (x: AttackResult, y: AttackResult) => boolean): boolean {
  return a.runs.length > 0 && a.runs.every((x, i) => b.runs[i] !== undefined && ok(x, b.runs[i]!));
}
