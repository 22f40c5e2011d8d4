import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { expiry, fail, isProblem, printJson } from "./api-output.ts";

interface BanAnswer {
  change?: string;
  status?: string;
  detail?: string;
  ban?: { value: string; reasons: string[]; expires_at: number };
}

const reasonList = (r: string | undefined) => (r ? r.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean) : undefined);

/** `honeymesh ban IP|CIDR [--ttl] [--reason]`: a manual (or EXTERNAL) decision through apid. */
export async function banCommand(api: ApiClient, target: string | undefined, opts: { json: boolean; ttlS?: number; reason?: string }): Promise<number> {
  if (!target) throw new CliError("USAGE", "usage: honeymesh ban IP|CIDR [--ttl 24h] [--reason MANUAL|EXTERNAL]");
  const body: Record<string, unknown> = { value: target };
  if (opts.ttlS !== undefined) body.ttl_s = opts.ttlS;
  const reasons = reasonList(opts.reason);
  if (reasons) body.reason = reasons;
  const r = await api.call<BanAnswer>("POST", "/v1/bans", body);
  if (isProblem(r)) return fail(r);
  if (opts.json) printJson(r.data);
  else if (r.status === 202) process.stdout.write(`${target}: accepted, not yet confirmed (${r.data.detail ?? "pending"})\n`);
  else process.stdout.write(`${r.data.ban?.value ?? target}: ${r.data.change ?? "banned"} (${r.data.ban?.reasons.join(",") ?? ""}), expires ${expiry(r.data.ban?.expires_at ?? 0)}\n`);
  return 0;
}

/** `honeymesh unban IP|CIDR [--local]`: global by default (the mesh learns it). */
export async function unbanCommand(api: ApiClient, target: string | undefined, opts: { json: boolean; local: boolean; reason?: string }): Promise<number> {
  if (!target) throw new CliError("USAGE", "usage: honeymesh unban IP|CIDR [--local]");
  const q = new URLSearchParams({ scope: opts.local ? "local" : "global" });
  const reasons = reasonList(opts.reason);
  if (reasons?.[0]) q.set("reason", reasons[0]);
  const r = await api.call<{ value?: string; was_banned?: boolean; status?: string }>("DELETE", `/v1/bans/${encodeURIComponent(target)}?${q}`);
  if (isProblem(r)) return fail(r);
  if (opts.json) printJson(r.data);
  else if (r.status === 202) process.stdout.write(`${target}: unban accepted, not yet confirmed\n`);
  else process.stdout.write(`${r.data.value ?? target}: unbanned${opts.local ? " (this node only)" : ""}${r.data.was_banned === false ? " (it was not banned)" : ""}\n`);
  return 0;
}
