import type { FrozenConfig } from "@honeymesh/config/schema";
import type { OutputFormat, Parsed } from "../args.ts";
import { setOutputFormat } from "./api-output.ts";
import { ApiClient, findToken, localSocket } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { allowCommand } from "./allow.ts";
import { banCommand, unbanCommand } from "./ban.ts";
import { bansCommand } from "./bans.ts";
import { explainCommand } from "./explain.ts";
import { eventShowCommand, eventsCommand } from "./events.ts";
import { exportCommand } from "./export.ts";
import { feedsCommand } from "./feeds.ts";
import { notifyCommand } from "./notify.ts";
import { peersCommand } from "./peers.ts";
import { tokenCommand } from "./token.ts";
import { parseTtl } from "./ttl.ts";
import { geoFlags } from "./geo-flags.ts";

/** Options of the API verbs, for main's argument parser. */
export const API_BOOLEANS = ["local", "follow", "bouncer", "force"] as const;
export const API_VALUED = ["ttl", "reason", "format", "kind", "output", "scope", "name", "note", "limit", "origin", "contains", "state", "service", "src", "token", "country", "asn"] as const;
export const API_VERBS = new Set(["bans", "ban", "unban", "allow", "explain", "events", "export", "peers", "token", "feeds", "notify"]);

export const API_USAGE = `  bans [--json] [--reason R] [--origin N] [--contains IP] [--country CC] [--asn N] [--limit N]
                      list bans (--contains: the bans that drop that address;
                      --country/--asn: where the offline databases place the address)
  explain IP [--json] every ban and prefix that covers IP, allowlist entries, evidence, sessions
  ban IP|CIDR [--ttl 24h|permanent] [--reason MANUAL|EXTERNAL]
  unban IP|CIDR [--local] [--reason R]
                      says what happened: removed, kept (still banned for other reasons),
                      still covered by a prefix ban; exit 1 when a prefix ban still drops it
  allow add IP|CIDR [--note T] [--force] | allow rm IP|CIDR | allow ls
                      adding an entry ends every ban it covers; --force: broader than
                      [api] allow_min_prefix_v4/_v6 (admin)
  events [--follow] [--service S] [--src IP] [--country CC] [--asn N]
                      trap sessions, or the live stream of hits, decisions and bans
  events show ID [--json]
                      one session: commands with times, URLs, hosts, persistence, files
  export --format json|csv|ndjson [--kind bans|events] [--output FILE]
  peers               mesh peers
  feeds [--json]      blocklist feeds: size of the list in force, age, last update, last error
  notify [ls] | notify test NAME
                      notification targets and their counters; send a test message now
  token create [--scope read|write|admin] [--name N] [--bouncer] [--ttl 30d]
  token list | token revoke ID
                      (API verbs use apid's local socket when no --token is given and
                      this user may open it; else HONEYMESH_API_TOKEN or the admin token)
`;

function str(args: Parsed, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === "string" ? v : undefined;
}

function limit(args: Parsed, dflt: number): number {
  const v = str(args, "limit");
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new CliError("USAGE", `--limit ${v}: expected a whole number ≥ 1`);
  return n;
}

/** The operator verbs of DESIGN §7 that go through apid. */
export async function runApiVerb(verb: string, args: Parsed, config: FrozenConfig, out: OutputFormat = "table"): Promise<number> {
  const flag = str(args, "token");
  const socket = localSocket(config, flag);
  const api = new ApiClient(config, socket ? undefined : findToken(config, flag), socket);
  const json = out !== "table";
  setOutputFormat(out);
  const [, a1, a2] = args.positionals;
  const ttl = str(args, "ttl");
  switch (verb) {
    case "bans":
      return bansCommand(api, { json, limit: limit(args, 100), reason: str(args, "reason"), origin: str(args, "origin"), contains: str(args, "contains"), state: str(args, "state"), ...geoFlags(str(args, "country"), str(args, "asn")) });
    case "ban":
      return banCommand(api, a1, { json, ttlS: ttl === undefined ? undefined : parseTtl(ttl), reason: str(args, "reason") });
    case "unban":
      return unbanCommand(api, a1, { json, local: args.flags.has("local"), reason: str(args, "reason") });
    case "explain":
      return explainCommand(api, a1, json);
    case "allow":
      return allowCommand(api, a1, a2, { json, note: str(args, "note"), force: args.flags.has("force") });
    case "events":
      if (a1 === "show") return eventShowCommand(api, a2, json);
      return eventsCommand(api, { json, follow: args.flags.has("follow"), limit: limit(args, 100), service: str(args, "service"), src: str(args, "src"), ...geoFlags(str(args, "country"), str(args, "asn")) });
    case "export":
      return exportCommand(api, { format: str(args, "format") ?? "ndjson", kind: str(args, "kind") ?? "bans", output: str(args, "output"), progress: Boolean(process.stderr.isTTY) });
    case "peers":
      return peersCommand(api, json);
    case "feeds":
      return feedsCommand(api, json);
    case "notify":
      return notifyCommand(api, a1, a2, json);
    case "token":
      return tokenCommand(api, a1, a2, { json, scope: str(args, "scope"), name: str(args, "name"), bouncer: args.flags.has("bouncer"), ttlS: ttl === undefined ? undefined : parseTtl(ttl) });
    default:
      throw new CliError("USAGE", `unknown command ${verb}`);
  }
}
