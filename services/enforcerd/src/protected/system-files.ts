import { readFileSync } from "node:fs";
import { formatIp, parseIp } from "@honeymesh/net/address";

/** A literal address as canonical text, or undefined (host names are skipped: no DNS lookups here). */
function literal(token: string): string | undefined {
  // resolv.conf allows an IPv6 zone ("fe80::1%eth0"); the zone is not part of the address.
  const bare = token.replace(/^\[|\]$/g, "").split("%")[0]!;
  const a = parseIp(bare);
  return a ? formatIp(a.family, a.bytes) : undefined;
}

/** `nameserver <addr>` lines of resolv.conf(5); comments start with # or ;. */
export function parseResolvConf(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split("\n").slice(0, 10_000)) {
    const f = raw.replace(/[#;].*$/, "").trim().split(/\s+/);
    if (f[0] !== "nameserver" || !f[1]) continue;
    const a = literal(f[1]);
    if (a) out.add(a);
  }
  return [...out];
}

/**
 * NTP servers with literal addresses: systemd-timesyncd's `NTP=` / `FallbackNTP=` (space
 * separated, timesyncd.conf(5)), and chrony's or ntpd's `server` / `pool` / `peer` lines
 * (chrony.conf(5), ntp.conf(5)). Host names are left out: resolving them would make the protected
 * set depend on DNS answers an attacker may influence.
 */
export function parseNtpConf(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split("\n").slice(0, 10_000)) {
    const line = raw.replace(/[#;!].*$/, "").trim();
    const kv = /^(NTP|FallbackNTP)\s*=\s*(.*)$/.exec(line);
    const tokens = kv ? kv[2]!.split(/\s+/) : /^(server|pool|peer)\s+/.test(line) ? [line.split(/\s+/)[1]!] : [];
    for (const t of tokens) {
      const a = t ? literal(t) : undefined;
      if (a) out.add(a);
    }
  }
  return [...out];
}

/** Literal IP addresses in mesh bootstrap multiaddrs (/ip4/…, /ip6/…) and host:port cluster entries. */
export function parseMeshPeers(bootstrap: readonly string[], clusters: readonly string[]): string[] {
  const out = new Set<string>();
  for (const m of bootstrap) {
    const hit = /^\/ip[46]\/([^/]+)/.exec(m);
    const a = hit ? literal(hit[1]!) : undefined;
    if (a) out.add(a);
  }
  for (const c of clusters) {
    const hit = /@(\[[^\]]+\]|[^:@]+):[0-9]+$/.exec(c);
    const a = hit ? literal(hit[1]!) : undefined;
    if (a) out.add(a);
  }
  return [...out];
}

/** A file's text, or "" when it is absent or unreadable (a node without chrony has no chrony.conf). */
export function readText(path: string): string {
  try {
    return readFileSync(path, "utf8").slice(0, 1_048_576);
  } catch {
    return "";
  }
}
