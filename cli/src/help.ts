// Every verb's usage, flags and one example: `honeymesh help <verb>` and `honeymesh <verb> --help`.
export interface VerbHelp {
  usage: string;
  summary: string;
  flags: [string, string][];
  example: string;
}

const OUT: [string, string] = ["-o, --json", "-o json|table|raw: JSON (pretty), the table (default) or compact JSON"];
const CONF: [string, string] = ["--config PATH", "config file (default ./honeymesh.toml, or /etc/honeymesh/honeymesh.toml when installed)"];
const TOKEN: [string, string] = ["--token T", "API token (else HONEYMESH_API_TOKEN, else the node's admin token)"];

export const HELP: Record<string, VerbHelp> = {
  up: { usage: "up [--foreground]", summary: "start the node under the CLI's own supervisor", flags: [["--foreground", "stay attached; Ctrl-C stops the node"], CONF], example: "honeymesh up" },
  down: { usage: "down", summary: "stop a node started with `up` (SIGTERM, SIGKILL after a grace period)", flags: [CONF], example: "honeymesh down" },
  status: { usage: "status [-o json]", summary: "per service: state, restarts, health; asks the node's API, says how it runs (systemd, compose, up)", flags: [OUT, CONF, TOKEN], example: "honeymesh status -o json" },
  config: { usage: "config check [--config PATH]", summary: "validate the config without starting anything; exit 2 naming the bad key", flags: [CONF], example: "honeymesh config check --config /etc/honeymesh/honeymesh.toml" },
  mode: { usage: "mode [test|enforce|lockdown]", summary: "show or switch the enforcement mode through the API (PUT /v1/mode)", flags: [OUT, CONF, TOKEN], example: "honeymesh mode enforce" },
  bans: { usage: "bans [--reason R] [--origin N] [--contains IP] [--country CC] [--asn N] [--state S] [--limit N]", summary: "active bans with reasons and evidence, country and AS of each address", flags: [["--reason R", "only this reason"], ["--origin N", "only bans from node N"], ["--contains IP", "the bans that drop IP"], ["--country CC", "only addresses placed in this country (ISO 3166 alpha-2: DE)"], ["--asn N", "only addresses of this autonomous system (64496 or AS64496)"], ["--state S", "active|expired|removed"], ["--limit N", "at most N rows (default 100)"], OUT, CONF, TOKEN], example: "honeymesh bans --contains 203.0.113.7" },
  ban: { usage: "ban IP|CIDR [--ttl 24h|permanent] [--reason MANUAL|EXTERNAL]", summary: "ban an address or prefix on this node", flags: [["--ttl D", "how long (30s, 10m, 24h, 7d, permanent)"], ["--reason R", "MANUAL (default) or EXTERNAL"], OUT, CONF, TOKEN], example: "honeymesh ban 203.0.113.7 --ttl 1h" },
  unban: { usage: "unban IP|CIDR [--local] [--reason R]", summary: "lift a ban; says whether the address is still dropped (exit 1 then)", flags: [["--local", "only on this node, not mesh-wide"], ["--reason R", "lift only bans with this reason"], OUT, CONF, TOKEN], example: "honeymesh unban 203.0.113.7" },
  allow: { usage: "allow add IP|CIDR [--note T] | allow rm IP|CIDR | allow ls", summary: "the allowlist; adding an entry ends every ban it covers", flags: [["--note T", "why (shown in allow ls)"], OUT, CONF, TOKEN], example: "honeymesh allow add 198.51.100.4/32 --note 'my office'" },
  explain: { usage: "explain IP", summary: "every ban and prefix covering IP, allowlist entries, evidence, sessions", flags: [OUT, CONF, TOKEN], example: "honeymesh explain 203.0.113.7" },
  events: { usage: "events [--follow] [--service S] [--src IP] [--country CC] [--asn N] [--limit N]", summary: "trap sessions, or the live stream of hits, decisions and bans", flags: [["--follow", "stream live events until Ctrl-C"], ["--service S", "only this trap service (ssh, http, ...)"], ["--src IP", "only this source"], ["--country CC", "only sources placed in this country (DE)"], ["--asn N", "only sources of this autonomous system"], ["--limit N", "at most N rows"], OUT, CONF, TOKEN], example: "honeymesh events --follow" },
  export: { usage: "export --format json|csv|ndjson [--kind bans|events] [--output FILE]", summary: "export bans or events", flags: [["--format F", "json, csv or ndjson (default ndjson)"], ["--kind K", "bans (default) or events"], ["--output FILE", "write to FILE instead of stdout"], CONF, TOKEN], example: "honeymesh export --format csv --output bans.csv" },
  peers: { usage: "peers", summary: "mesh peers, trust, messages in/out/rejected", flags: [OUT, CONF, TOKEN], example: "honeymesh peers -o json" },
  feeds: { usage: "feeds [-o json]", summary: "blocklist feeds ([feeds.<name>]): size of the list in force, age, last update, last error", flags: [OUT, CONF, TOKEN], example: "honeymesh feeds" },
  notify: { usage: "notify [ls] | notify test NAME", summary: "notification targets ([notify.<name>]) and their counters; send a test message now", flags: [OUT, CONF, TOKEN], example: "honeymesh notify test ops-hook" },
  token: { usage: "token create [--scope read|write|admin] [--name N] [--bouncer] [--ttl 30d] | token list | token revoke ID", summary: "API tokens", flags: [["--scope S", "read, write or admin"], ["--name N", "a label"], ["--bouncer", "a CrowdSec bouncer token"], ["--ttl D", "lifetime"], OUT, CONF, TOKEN], example: "honeymesh token create --scope read --name grafana" },
  mesh: { usage: "mesh keygen [--out PATH]", summary: "write a new cluster key for [mesh] cluster_key_file", flags: [["--out PATH", "where (default stdout)"]], example: "honeymesh mesh keygen --out /etc/honeymesh/cluster.key" },
  jails: {
    usage: "jails [-o json] | jails import [DIR] [-o json]",
    summary: "logd's jails: lines, failures, bans, last match, source health (under systemd or compose: through the API); `import` prints Fail2Ban's enabled jails (DIR, default /etc/fail2ban) as [jails.<name>] sections, what it cannot translate on stderr",
    flags: [OUT, CONF, TOKEN],
    example: "honeymesh jails import /etc/fail2ban >> /etc/honeymesh/honeymesh.toml",
  },
  regex: { usage: "regex <logfile|line> <filter> [--print-all-missed] [-o json]", summary: "test a Fail2Ban filter on a log file or one line (fail2ban-regex's job): matched, ignored, missed", flags: [["--print-all-missed", "print every line no failregex matched"], OUT], example: "honeymesh regex /var/log/auth.log sshd" },
  demo: { usage: "demo", summary: "(root) an attacker namespace scans and brute-forces a demo node, live", flags: [], example: "honeymesh demo" },
  init: { usage: "init [--config PATH]", summary: "create the node id and the services' signing keys (the package does this on install)", flags: [CONF], example: "honeymesh init --config /etc/honeymesh/honeymesh.toml" },
  "wait-bus": { usage: "wait-bus [--timeout S] [--address bus|api|HOST:PORT]", summary: "exit 0 once the bus (or the API) accepts connections (systemd ExecStartPre, compose healthchecks)", flags: [["--timeout S", "give up after S seconds (default 30)"], ["--address A", "bus (default), api, or HOST:PORT"], CONF], example: "honeymesh wait-bus --timeout 30" },
  help: { usage: "help [VERB]", summary: "this text, or one verb's flags and an example", flags: [], example: "honeymesh help ban" },
};

export function usage(version: string): string {
  const width = Math.max(...Object.values(HELP).map((h) => h.usage.split(" ")[0]!.length)) + 2;
  const lines = Object.entries(HELP).map(([verb, h]) => `  ${verb.padEnd(width)}${h.summary}`);
  return `honeymesh ${version}: an open active-defense node for Linux

usage: honeymesh [--config PATH] <command> [options]
       honeymesh help <command>      every option of a command, with an example
       honeymesh --version

commands:
${lines.join("\n")}

exit codes: 0 ok, 1 operational error, 2 usage or configuration error
`;
}

export function verbHelp(verb: string): string | undefined {
  const h = HELP[verb];
  if (!h) return undefined;
  const w = Math.max(0, ...h.flags.map(([f]) => f.length)) + 2;
  const flags = h.flags.length ? `\noptions:\n${h.flags.map(([f, d]) => `  ${f.padEnd(w)}${d}`).join("\n")}\n` : "";
  return `usage: honeymesh ${h.usage}\n\n${h.summary}\n${flags}\nexample:\n  ${h.example}\n`;
}
