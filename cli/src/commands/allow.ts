import type { AllowList } from "@honeymesh/api/allowlist";
import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { renderTable } from "../table.ts";
import { fail, isProblem, printJson } from "./api-output.ts";
import { sayResult, type WriteAnswer } from "./ban.ts";

/** `honeymesh allow add|rm|ls`. */
export async function allowCommand(api: ApiClient, sub: string | undefined, cidr: string | undefined, opts: { json: boolean; note?: string; force?: boolean }): Promise<number> {
  if (sub === "ls" || sub === "list") {
    const r = await api.call<AllowList>("GET", "/v1/allowlist");
    if (isProblem(r)) return fail(r);
    if (opts.json) printJson(r.data);
    else process.stdout.write(renderTable(["ADDRESS", "SOURCE", "NOTE"], r.data.items.map((e) => [e.address, e.source, e.note])));
    return 0;
  }
  if ((sub !== "add" && sub !== "rm") || !cidr) throw new CliError("USAGE", "usage: honeymesh allow add CIDR [--note TEXT] [--force] | allow rm CIDR | allow ls");
  const r = sub === "add" ? await api.call<WriteAnswer>("POST", "/v1/allowlist", { address: cidr, note: opts.note ?? "", ...(opts.force ? { force: true } : {}) }) : await api.call<WriteAnswer>("DELETE", `/v1/allowlist/${encodeURIComponent(cidr)}`);
  if (isProblem(r)) return fail(r);
  if (opts.json) printJson(r.data);
  else process.stdout.write(sayResult(cidr, r.status, r.data));
  return 0;
}
