import { REASONS } from "@honeymesh/schema/reasons";
import type { SourceState } from "../source-state.ts";
import type { Finding } from "./types.ts";

/** ≥ k login attempts across traps within the window → BRUTEFORCE. */
export function credentialSpray(s: SourceState, k: number): Finding | undefined {
  if (s.attempts.length < k) return undefined;
  const byService = new Map<string, number>();
  for (const a of s.attempts) byService.set(a.service, (byService.get(a.service) ?? 0) + 1);
  const parts = [...byService].map(([svc, n]) => `${n} on ${svc}`).join(", ");
  return { reasons: REASONS.BRUTEFORCE, evidence: `BRUTEFORCE: ${s.attempts.length} login attempts (${parts})` };
}
