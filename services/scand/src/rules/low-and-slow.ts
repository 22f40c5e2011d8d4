import { evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { SourceState } from "../source-state.ts";
import type { Finding } from "./types.ts";

const MAX_SLOW_PORTS = 4096;

/**
 * Distinct ports accumulated over a long window with exponential decay (half-life = window / 2):
 * a scanner that sends one SYN a minute still adds up; a port seen once a day ago counts ~0.25.
 */
export function lowAndSlow(s: SourceState, ports: readonly number[], at: number, threshold: number, windowMs: number): Finding | undefined {
  const halfLife = windowMs / 2;
  let score = 0;
  for (const [p, e] of s.slowPorts) {
    const w = e.w * 0.5 ** ((at - e.at) / halfLife);
    if (w < 0.05) s.slowPorts.delete(p);
    else score += Math.min(1, w);
  }
  for (const p of ports) {
    if (!s.slowPorts.has(p)) {
      if (s.slowPorts.size >= MAX_SLOW_PORTS) break;
      score += 1;
    }
    s.slowPorts.set(p, { w: 1, at });
  }
  if (score < threshold) return undefined;
  const shown = [...s.slowPorts.keys()].sort((a, b) => a - b).slice(0, 16);
  return { reasons: REASONS.SCAN, evidence: evidence("scan", `SCAN (low and slow): ${Math.round(score)} distinct ports over ${Math.round(windowMs / 3_600_000)} h`, { ports: shown, count: s.slowPorts.size, window_s: windowMs / 1000 }) };
}
