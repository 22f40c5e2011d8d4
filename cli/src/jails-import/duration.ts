/**
 * Fail2Ban durations (server/mytime.py MyTime.str2seconds): a number of seconds, or numbers with
 * units summed (`1d12h`, `1h 30m`, `2 weeks`): s/sec/second, m/min/minute, h/hour, d/day,
 * w/week, mo/month (365.25/12 days), y/year (365.25 days). A negative bantime means permanent.
 */
const UNITS: [RegExp, number][] = [
  [/^(days?|da|dd?)$/i, 86_400],
  [/^(weeks?|wee?|ww?)$/i, 7 * 86_400],
  [/^(months?|mon?)$/i, ((365 * 3 + 366) * 86_400) / 4 / 12],
  [/^(years?|yea?|yy?)$/i, ((365 * 3 + 366) * 86_400) / 4],
  [/^(seconds?|sec?|ss?)$/i, 1],
  [/^(minutes?|min?|mm?)$/i, 60],
  [/^(hours?|hou?|hh?)$/i, 3600],
];

/** Seconds, or null when the text is not a Fail2Ban duration. */
export function f2bSeconds(text: string): number | null {
  const s = text.trim();
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(s)) return Number(s);
  if (s.length > 64 || !/^[0-9]/.test(s)) return null;
  let total = 0;
  for (const part of s.matchAll(/([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)\s*|(.)/gi)) {
    if (part[3] !== undefined) return null;
    const unit = part[2] ?? "";
    const mult = unit ? UNITS.find(([re]) => re.test(unit))?.[1] : 1;
    if (mult === undefined) return null;
    total += Number(part[1]) * mult;
  }
  return total;
}

/** The longest duration HoneyMesh's config accepts (packages/config Duration: one year). */
export const MAX_DURATION_S = 31_536_000;

/** The shortest spelling the config accepts: `7d`, `90m`, `45s`. */
export function honeymeshDuration(seconds: number): string | number {
  const s = Math.round(seconds);
  if (s > 0 && s % 86_400 === 0) return `${s / 86_400}d`;
  if (s > 0 && s % 3600 === 0) return `${s / 3600}h`;
  if (s > 0 && s % 60 === 0) return `${s / 60}m`;
  return s;
}
