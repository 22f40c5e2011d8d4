import { parseAddress, parseIp } from "@honeymesh/net/address";

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
