import { evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { SourceState } from "../source-state.ts";
import type { Finding } from "./types.ts";

/** ≥ threshold distinct ports from one source within the window (trap ports and kernel SYNs) → SCAN. */
export function verticalScan(s: SourceState, threshold: number, at: number): Finding | undefined {
  if (s.ports.size < threshold) return undefined;
  const ports = [...s.ports.keys()].sort((a, b) => a - b);
  const shown = ports.slice(0, 12).join(",") + (ports.length > 12 ? `,… (${ports.length})` : "");
  const secs = Math.max(0, (at - s.firstAt) / 1000).toFixed(1);
  return { reasons: REASONS.SCAN, evidence: evidence("scan", `SCAN: ports ${shown} within ${secs} s`, { ports: ports.slice(0, 16), count: ports.length, window_s: Number(secs) }) };
}
