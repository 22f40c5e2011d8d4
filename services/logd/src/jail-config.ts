import { parseAddress, parseIp } from "@honeymesh/net/address";

/** `600`, `"600"`, `"10m"`, `"1h"`, `"1d"` → seconds (Fail2Ban's short forms). */
export function durationSeconds(v: number | string): number {
  if (typeof v === "number") return v;
  const m = /^([0-9]+(?:\.[0-9]+)?)([smhd]?)$/.exec(v.trim());
  if (!m) throw new Error(`not a duration: ${v}`);
  const mult = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return Number(m[1]) * mult;
}

/**
 * Fail2Ban's ignoreip: addresses and prefixes whose failures are never counted. Hostnames are
 * not resolved (refused with the entry named).
 */
export function ignoreMatcher(entries: readonly string[]): (address: string) => boolean {
  const prefixes = entries.map((e) => {
    const p = parseAddress(e.trim());
    if (!p.ok) throw new Error(`ignoreip ${JSON.stringify(e)}: ${p.reason}`);
    return p.value;
  });
  return (address: string) => {
    const ip = parseIp(address);
    if (!ip) return false;
    return prefixes.some((p) => {
      if (p.family !== ip.family) return false;
      const bits = p.prefix;
      for (let i = 0; i < bits; i++) {
        const byte = i >> 3;
        const bit = 0x80 >> (i & 7);
        if (((p.bytes[byte] ?? 0) & bit) !== ((ip.bytes[byte] ?? 0) & bit)) return false;
      }
      return true;
    });
  };
}
