import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { renderTable } from "../table.ts";
import { fail, isProblem, printJson } from "./api-output.ts";

interface TokenInfo {
  id: string;
  name: string;
  kind: string;
  scope: string;
  created_at: number;
  expires_at: number;
  revoked_at: number;
  token?: string;
}

const when = (ms: number) => (ms ? new Date(ms).toISOString() : "-");

/** `honeymesh token create [--scope] [--name] [--bouncer] [--ttl] | list | revoke ID` (admin). */
export async function tokenCommand(api: ApiClient, sub: string | undefined, arg: string | undefined, opts: { json: boolean; scope?: string; name?: string; bouncer: boolean; ttlS?: number }): Promise<number> {
  if (sub === "create") {
    const body: Record<string, unknown> = { name: opts.name ?? (opts.bouncer ? "crowdsec-bouncer" : "cli"), kind: opts.bouncer ? "bouncer" : "bearer" };
    if (!opts.bouncer) body.scope = opts.scope ?? "read";
    if (opts.ttlS !== undefined) body.ttl_s = opts.ttlS;
    const r = await api.call<TokenInfo>("POST", "/v1/tokens", body);
    if (isProblem(r)) return fail(r);
    if (opts.json) printJson(r.data);
    else {
      process.stdout.write(`${r.data.token}\n`);
      process.stderr.write(`${r.data.kind === "bouncer" ? "bouncer key (use as CrowdSec api_key)" : `${r.data.scope} token`} "${r.data.name}" id ${r.data.id}; it is not shown again\n`);
    }
    return 0;
  }
  if (sub === "list" || sub === "ls") {
    const r = await api.call<{ items: TokenInfo[] }>("GET", "/v1/tokens");
    if (isProblem(r)) return fail(r);
    if (opts.json) printJson(r.data.items);
    else process.stdout.write(renderTable(["ID", "NAME", "KIND", "SCOPE", "CREATED", "EXPIRES", "REVOKED"], r.data.items.map((t) => [t.id, t.name, t.kind, t.scope, when(t.created_at), when(t.expires_at), when(t.revoked_at)])));
    return 0;
  }
  if (sub === "revoke" && arg) {
    const r = await api.call<{ id: string }>("DELETE", `/v1/tokens/${encodeURIComponent(arg)}`);
    if (isProblem(r)) return fail(r);
    if (opts.json) printJson(r.data);
    else process.stdout.write(`token ${arg} revoked\n`);
    return 0;
  }
  throw new CliError("USAGE", "usage: honeymesh token create [--scope read|write|admin] [--name N] [--bouncer] [--ttl 30d] | token list | token revoke ID");
}
