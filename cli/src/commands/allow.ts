import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { renderTable } from "../table.ts";
import { fail, isProblem, printJson } from "./api-output.ts";

/** `honeymesh allow add|rm|ls`. */
export async function allowCommand(api: ApiClient, sub: string | undefined, cidr: string | undefined, opts: { json: boolean; note?: string }): Promise<number> {
  if (sub === "ls" || sub === "list") {
    const r = await api.call<{ operator: { cidr: string; note: string; created_at: number }[]; fixed: string[] }>("GET", "/v1/allowlist");
    if (isProblem(r)) return fail(r);
    if (opts.json) printJson(r.data);
    else
      process.stdout.write(
        renderTable(
          ["CIDR", "FROM", "NOTE"],
          [...r.data.operator.map((e) => [e.cidr, "operator", e.note]), ...r.data.fixed.map((c) => [c, "system/config", ""])],
        ),
      );
    return 0;
  }
  if ((sub !== "add" && sub !== "rm") || !cidr) throw new CliError("USAGE", "usage: honeymesh allow add CIDR [--note TEXT] | allow rm CIDR | allow ls");
  const r = sub === "add" ? await api.call<unknown>("POST", "/v1/allowlist", { cidr, note: opts.note ?? "" }) : await api.call<unknown>("DELETE", `/v1/allowlist/${encodeURIComponent(cidr)}`);
  if (isProblem(r)) return fail(r);
  if (opts.json) printJson(r.data);
  else process.stdout.write(`${cidr}: ${sub === "add" ? "allowed" : "removed from the allowlist"}${r.status === 202 ? " (not yet confirmed)" : ""}\n`);
  return 0;
}
