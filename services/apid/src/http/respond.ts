import type { WriteOutcome } from "../write/write-outcome.ts";
import { badField, problem } from "./problem.ts";

const JSON_HEADERS = { "content-type": "application/json" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** A write's outcome as HTTP: the result, 202 while enforcerd has not confirmed, or a problem. */
export function outcome(o: WriteOutcome): Response {
  if (o.kind === "done") return json(o.body, o.status);
  if (o.kind === "pending") return json(o.body, 202);
  if (o.field) return badField(o.field, o.detail);
  return problem(o.status, { detail: o.detail, ...(o.reason ? { reason: o.reason } : {}) });
}

/** Path parameters arrive percent-encoded when they hold a CIDR's "/". */
export function decodeParam(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}
