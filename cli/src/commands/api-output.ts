import { ApiProblem } from "../api/client.ts";

const tty = () => Boolean(process.stdout.isTTY);
export const color = (code: number, s: string) => (tty() ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Prints a problem to stderr; returns the exit code (2 for a request the API found malformed). */
export function fail(p: ApiProblem): number {
  process.stderr.write(`honeymesh: ${p.detail}\n`);
  return p.exitCode;
}

let format: "json" | "raw" | "table" = "json";
/** `-o raw` makes every JSON answer one compact line. */
export function setOutputFormat(f: "json" | "raw" | "table"): void {
  format = f;
}

export function printJson(v: unknown): void {
  printOut(v, format);
}

/** "in 3h12m", "permanent", "expired". */
export function expiry(ms: number, now = Date.now()): string {
  if (ms === 0) return color(31, "permanent");
  const left = Math.round((ms - now) / 1000);
  if (left <= 0) return "expired";
  const d = Math.floor(left / 86400);
  const h = Math.floor((left % 86400) / 3600);
  const m = Math.floor((left % 3600) / 60);
  return `in ${d ? `${d}d` : ""}${h ? `${h}h` : ""}${d ? "" : `${m}m`}${d || h || m ? "" : `${left}s`}`;
}

export function isProblem<T>(r: T | ApiProblem): r is ApiProblem {
  return r instanceof ApiProblem;
}

/** `-o json` pretty JSON, `-o raw` one compact JSON line (for scripts and jq -c). */
export function printOut(v: unknown, format: "json" | "raw" | "table"): void {
  process.stdout.write(format === "raw" ? `${JSON.stringify(v)}\n` : `${JSON.stringify(v, null, 2)}\n`);
}
