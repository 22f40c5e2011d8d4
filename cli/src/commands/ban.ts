import type { PendingAnswer, WriteAnswer as WriteAnswerBody } from "@honeymesh/api/writes";
import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { expiry, fail, isProblem, printJson } from "./api-output.ts";

/** What apid answers for a write: enforcerd's result in names, or 202 pending (packages/api/src/writes.ts). */
export type WriteAnswer = WriteAnswerBody | PendingAnswer;

const reasonList = (r: string | undefined) => (r ? r.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean) : undefined);

/** One line that says what happened, never more than enforcerd confirmed. */
export function sayResult(target: string, status: number, a: WriteAnswer): string {
  if (status === 202) return `${target}: accepted, not yet confirmed (${a.detail})\n`;
  const until = "ban" in a && a.ban && (a.outcome === "added" || a.outcome === "extended" || a.outcome === "unchanged") ? `, expires ${expiry(a.ban.expires_at)}` : "";
  return `${a.address?.text ?? target}: ${a.outcome}: ${a.detail}${until}\n`;
}

/** `honeymesh ban IP|CIDR [--ttl] [--reason]`: a manual (or EXTERNAL) decision through apid. */
export async function banCommand(api: ApiClient, target: string | undefined, opts: { json: boolean; ttlS?: number; reason?: string }): Promise<number> {
  if (!target) throw new CliError("USAGE", "usage: honeymesh ban IP|CIDR [--ttl 24h] [--reason MANUAL|EXTERNAL]");
  const body: Record<string, unknown> = { address: target };
  if (opts.ttlS !== undefined) body.ttl_s = opts.ttlS;
  const reasons = reasonList(opts.reason);
  if (reasons) body.reason = reasons;
  const r = await api.call<WriteAnswer>("POST", "/v1/bans", body);
  if (isProblem(r)) return fail(r);
  if (opts.json) printJson(r.data);
  else process.stdout.write(sayResult(target, r.status, r.data));
  return 0;
}

/**
 * `honeymesh unban IP|CIDR [--local] [--reason R]`: global by default (peers lift it too when this
 * node decided the ban; a peer never lifts a ban another node decided). With
 * --reason only that reason is lifted, and the answer says when the ban stays for others (`kept`).
 * Exit 0 when what was asked happened: the ban is gone, or (with --reason) that reason is lifted
 * and the ban is `kept` for others (Fail2Ban's actionunban must not fail for that). Exit 1 when
 * the address stays dropped against the request: kept without --reason (another origin's ban), or
 * still covered by a prefix ban.
 */
export async function unbanCommand(api: ApiClient, target: string | undefined, opts: { json: boolean; local: boolean; reason?: string }): Promise<number> {
  if (!target) throw new CliError("USAGE", "usage: honeymesh unban IP|CIDR [--local] [--reason R]");
  const q = new URLSearchParams({ scope: opts.local ? "local" : "global" });
  const reasons = reasonList(opts.reason);
  if (reasons && reasons.length > 1) throw new CliError("USAGE", "--reason: name one reason to lift");
  if (reasons?.[0]) q.set("reason", reasons[0]);
  const r = await api.call<WriteAnswer>("DELETE", `/v1/bans/${encodeURIComponent(target)}?${q}`);
  if (isProblem(r)) return fail(r);
  if (opts.json) printJson(r.data);
  else process.stdout.write(sayResult(target, r.status, r.data) + (opts.local && r.status !== 202 ? "(this node only)\n" : ""));
  const covered = "covered_by" in r.data && (r.data.covered_by?.length ?? 0) > 0;
  const stillDropped = covered || (r.data.outcome === "kept" && !reasons?.length);
  return stillDropped ? 1 : 0;
}
