import { CliError } from "../errors.ts";

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * "3600", "90m", "24h", "7d", "permanent", "0". Fail2Ban's bantime of -1 (forever) is permanent
 * too, so its action can pass <bantime> as it is.
 */
export function parseTtl(text: string): number {
  const s = text.trim().toLowerCase();
  if (s === "permanent" || s === "0" || s === "-1") return 0;
  const m = /^(\d{1,10})([smhdw]?)$/.exec(s);
  if (!m) throw new CliError("USAGE", `--ttl ${text}: expected seconds or a number with s, m, h, d or w (e.g. 24h), or "permanent"`);
  const v = Number(m[1]) * (UNIT[m[2] || "s"] ?? 1);
  if (v > 315_360_000) throw new CliError("USAGE", `--ttl ${text}: at most ten years`);
  return v;
}
