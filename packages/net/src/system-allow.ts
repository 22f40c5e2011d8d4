import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";

/**
 * What the operator must never be locked out of: loopback, every address of this host, and the
 * default gateways (IPv4 from /proc/net/route, IPv6 from /proc/net/ipv6_route; see proc(5)).
 */
export function systemAllowEntries(): string[] {
  const out = new Set<string>(["127.0.0.0/8", "::1"]);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) out.add(a.address.split("%")[0]!);
  }
  for (const gw of defaultGateways()) out.add(gw);
  return [...out];
}

export function defaultGateways(): string[] {
  const out: string[] = [];
  try {
    for (const line of readFileSync("/proc/net/route", "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 3 || f[1] !== "00000000" || f[2] === "00000000") continue;
      // Little-endian hex of the gateway address.
      const n = Number.parseInt(f[2]!, 16);
      out.push([n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24].join("."));
    }
  } catch {
    // no IPv4 routing table visible: nothing to add
  }
  try {
    for (const line of readFileSync("/proc/net/ipv6_route", "utf8").split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5 || f[0] !== "0".repeat(32) || f[1] !== "00" || f[4] === "0".repeat(32)) continue;
      out.push(f[4]!.match(/.{4}/g)!.join(":"));
    }
  } catch {
    // no IPv6
  }
  return out;
}

/** The interface of the default route: where XDP attaches when none is configured. */
export function defaultRouteInterface(): string | undefined {
  try {
    for (const line of readFileSync("/proc/net/route", "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1] === "00000000" && f[7] === "00000000") return f[0];
    }
  } catch {
    return undefined;
  }
  return undefined;
}
