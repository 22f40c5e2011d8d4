import { formatCidr, mask, parseAddress } from "@honeymesh/net/address";

/** Fail2Ban options `jails import` translates into a `[jails.<name>]` key. */
export const TRANSLATED = new Set(["enabled", "backend", "logpath", "journalmatch", "filter", "maxretry", "findtime", "bantime", "ignoreip", "port"]);

/** Options about actions: HoneyMesh drops a banned address in XDP and notifies through [notify.<name>]. */
export const ACTION_OPTIONS = new Set(["action", "banaction", "banaction_allports", "mta", "destemail", "sender", "protocol", "chain"]);

/** Fail2Ban jail options HoneyMesh has no equivalent for, and what the operator should know. */
export const UNSUPPORTED: Record<string, string> = {
  "bantime.increment": "growing ban times are not supported; every ban lasts bantime",
  "bantime.factor": "growing ban times are not supported",
  "bantime.formula": "growing ban times are not supported",
  "bantime.multipliers": "growing ban times are not supported",
  "bantime.maxtime": "growing ban times are not supported",
  "bantime.rndtime": "random ban extensions are not supported",
  "bantime.overalljails": "growing ban times are not supported",
  ignorecommand: "use the allowlist ([allowlist] or honeymesh allow add)",
  ignoreself: "the node's own addresses are always allowed (system allow set)",
  ignorecache: "no ignorecommand, so no cache",
  usedns: "HoneyMesh matches addresses only, never resolves names",
  logencoding: "logs are read as UTF-8",
  logtimezone: "not supported; dates are read as the filter says",
  datepattern: "put it in the filter file's [Definition]",
  maxlines: "put it in the filter file's [Definition]",
  maxmatches: "not supported",
  failregex: "jail-level failregex: put it in a filter file and name that file in filter",
  ignoreregex: "jail-level ignoreregex: put it in a filter file and name that file in filter",
  prefregex: "jail-level prefregex: put it in a filter file",
  polltime: "files are followed through inotify and a fixed poll",
};

/**
 * Fail2Ban's ignoreip (split on spaces and commas, as its splitwords does) as the config accepts
 * it: addresses and prefixes; a prefix with host bits set (Fail2Ban's own `127.0.0.1/8`) is
 * masked, as Fail2Ban does; hostnames and `file:` lists are refused with the entry named.
 */
export function translateIgnoreip(value: string): { entries: string[]; masked: string[]; refused: string[] } {
  const entries: string[] = [];
  const masked: string[] = [];
  const refused: string[] = [];
  for (const e of value.split(/[\s,]+/).filter(Boolean)) {
    if (entries.length >= 1024) {
      refused.push(`${e} (more than 1024 entries)`);
      continue;
    }
    const p = parseAddress(e);
    if (p.ok) {
      entries.push(e);
      continue;
    }
    const slash = e.indexOf("/");
    const host = slash > 0 ? parseAddress(e.slice(0, slash)) : null;
    const bits = Number(e.slice(slash + 1));
    if (host?.ok && p.reason.includes("host bits")) {
      const fixed = formatCidr(host.value.family, mask(host.value.bytes, bits), bits);
      entries.push(fixed);
      masked.push(`${e} → ${fixed}`);
    } else refused.push(`${e.slice(0, 64)} (${p.reason})`);
  }
  return { entries, masked, refused };
}
