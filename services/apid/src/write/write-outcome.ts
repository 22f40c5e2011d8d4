import { reasonNames } from "@honeymesh/ban/reasons";
import type { BanState, Refusal, WriteResult } from "@honeymesh/schema/result";

export type WriteOutcome =
  | { kind: "done"; status: 200 | 201; body: unknown }
  | { kind: "pending"; body: unknown }
  | { kind: "refused"; status: 400 | 404 | 409 | 503; detail: string; field?: string; reason?: string };

/** How each refusal code reads in HTTP (RFC 9457 problems carry the code as `reason`). */
const STATUS: Record<Refusal, 400 | 404 | 409 | 503> = {
  bad_address: 400,
  kind_mismatch: 400,
  no_reasons: 400,
  unknown_reason_bits: 400,
  ttl_too_long: 400,
  allowlisted: 409,
  protected: 409,
  observe_only: 409,
  tombstoned: 409,
  allow_protected: 409,
  allow_absent: 404,
  kernel_write: 503,
};

/** enforcerd's result as the HTTP answer; no result in time is a 202 that says so. */
export function outcomeOf(r: WriteResult | undefined, pending: () => unknown, created = false): WriteOutcome {
  if (!r) return { kind: "pending", body: pending() };
  if (r.outcome === "refused") {
    const reason = r.refusal ?? "kernel_write";
    return { kind: "refused", status: STATUS[reason], reason, detail: r.detail, ...(STATUS[reason] === 400 ? { field: "address" } : {}) };
  }
  return { kind: "done", status: created && r.outcome === "added" ? 201 : 200, body: apiResult(r) };
}

/** A BanState with reason names instead of a mask: what the API shows. */
export function namedBan(b: BanState) {
  return { address: b.address, reasons: reasonNames(b.reasons), expires_at: b.expires_at, origin: b.origin, source: b.source, offence: b.offence, confidence: b.confidence };
}

/** The API's form of a result: names, not masks, and no bus bookkeeping. */
export function apiResult(r: WriteResult) {
  return {
    outcome: r.outcome,
    detail: r.detail,
    ...(r.address ? { address: r.address } : {}),
    ...(r.ban ? { ban: namedBan(r.ban) } : {}),
    ...(r.covered_by?.length ? { covered_by: r.covered_by.map(namedBan) } : {}),
    ...(r.ended ? { ended: r.ended, ended_total: r.ended_total ?? r.ended.length } : {}),
    ...(r.mode ? { mode: r.mode } : {}),
  };
}
