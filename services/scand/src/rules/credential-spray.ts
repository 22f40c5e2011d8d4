import { evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { SourceState } from "../source-state.ts";
import type { Finding } from "./types.ts";

/** ≥ k login attempts across traps within the window → BRUTEFORCE. */
export function credentialSpray(s: SourceState, k: number): Finding | undefined {
  if (s.attempts.length < k) return undefined;
  const byService = new Map<string, number>();
  for (const a of s.attempts) byService.set(a.service, (byService.get(a.service) ?? 0) + 1);
  const parts = [...byService].map(([svc, n]) => `${n} on ${svc}`).join(", ");
  const traps = [...byService.keys()];
  const window_s = Math.round((s.attempts.at(-1)!.at - s.attempts[0]!.at) / 100) / 10;
  return {
    reasons: REASONS.BRUTEFORCE,
    evidence: evidence("bruteforce", `BRUTEFORCE: ${s.attempts.length} login attempts (${parts})`, { count: s.attempts.length, window_s, ...(traps.length === 1 ? { trap: traps[0] } : {}) }),
  };
}
