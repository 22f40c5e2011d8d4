/**
 * A config duration (the schema's `Duration`: seconds, or a number with s/m/h/d, Fail2Ban's short
 * forms) in seconds: `600`, `"600"`, `"10m"`, `"1h"`, `"1d"`. One reading for every service.
 */
export function durationSeconds(v: number | string): number {
  if (typeof v === "number") return v;
  const m = /^([0-9]+(?:\.[0-9]+)?)([smhd]?)$/.exec(v.trim());
  if (!m) throw new Error(`not a duration: ${v}`);
  const mult = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return Number(m[1]) * mult;
}
