import { FeedError } from "./errors.ts";

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `refresh = 3600` or `refresh = "1h"` (s, m, h, d) → seconds; at least 10 s, at most 7 days. */
export function intervalSeconds(v: number | string, key: string): number {
  let s: number;
  if (typeof v === "number") s = v;
  else {
    const m = /^\s*(\d{1,7})\s*([smhd]?)\s*$/.exec(v.toLowerCase());
    if (!m) throw new FeedError("FEED_CONFIG", `${key} = "${v}": expected seconds or a number with s, m, h or d (e.g. "1h")`);
    s = Number(m[1]) * UNIT[m[2] || "s"]!;
  }
  if (!Number.isFinite(s) || s < 10 || s > 604_800) throw new FeedError("FEED_CONFIG", `${key} = ${JSON.stringify(v)}: must be between 10 s and 7 days`);
  return s;
}
