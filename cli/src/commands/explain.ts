import type { Explanation } from "@honeymesh/api/explain";
import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { renderTable } from "../table.ts";
import { color, expiry, fail, isProblem, printJson } from "./api-output.ts";

/** `honeymesh explain IP`: what blocks this address, and why. */
export async function explainCommand(api: ApiClient, ip: string | undefined, json: boolean): Promise<number> {
  if (!ip) throw new CliError("USAGE", "usage: honeymesh explain IP [--json]");
  const r = await api.call<Explanation>("GET", `/v1/explain/${encodeURIComponent(ip)}`);
  if (isProblem(r)) return fail(r);
  if (json) {
    printJson(r.data);
    return 0;
  }
  const e = r.data;
  const out: string[] = [`${e.summary}\n`];
  if (e.bans.length) out.push(renderTable(["BAN", "REASONS", "EXPIRES", "ORIGIN", "SOURCE", "EVIDENCE"], e.bans.map((b) => [b.address.text, color(33, b.reasons.join(",")), expiry(b.expires_at), b.origin, b.source, b.confidence])));
  for (const a of e.allowlisted_by) out.push(`allowlisted by ${a.address} (${a.source})\n`);
  for (const a of e.protected_by ?? []) out.push(`protected by ${a.address} (${a.source}): automatic decisions${a.source === "session" ? " on unverified evidence" : ""} leave it alone\n`);
  if (e.mesh_origins.length) out.push(`from mesh peers: ${e.mesh_origins.join(", ")}\n`);
  for (const ev of e.evidence.slice(0, 10)) out.push(`  evidence: ${ev.summary}\n`);
  if (e.sessions.length) out.push(`trap sessions: ${e.sessions.length} recent (${[...new Set(e.sessions.map((s) => s.service))].join(", ")}); honeymesh events --src ${ip}\n`);
  process.stdout.write(out.join(""));
  return 0;
}
