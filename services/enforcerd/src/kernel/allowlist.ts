/**
 * Allowlist LPM tries. The kernel checks them before anything else, so an
 * entry here wins over every ban and over lockdown. Single addresses are
 * stored as /32 or /128 prefixes.
 */
import type { BpfMap } from "@honeymesh/bpf/map";
import { formatCidr, formatIp, parseAddress } from "@honeymesh/net/address";
import type { BatchOutcome, Rejected } from "./bans.ts";
import { decodeLpmKey, encodeLpmKey } from "./codec.ts";

export interface AllowMaps {
  allowV4: BpfMap;
  allowV6: BpfMap;
}

const PRESENT = new Uint8Array([1, 0, 0, 0]);

function each(m: AllowMaps, cidrs: string[], op: (map: BpfMap, key: Uint8Array) => boolean): BatchOutcome {
  const rejected: Rejected[] = [];
  let count = 0;
  for (const c of cidrs) {
    const p = parseAddress(c);
    if (!p.ok) {
      rejected.push({ address: c, reason: p.reason });
      continue;
    }
    const t = p.value;
    if (op(t.family === 4 ? m.allowV4 : m.allowV6, encodeLpmKey(t.bytes, t.prefix))) count++;
  }
  return { count, rejected };
}

export function allowAdd(m: AllowMaps, cidrs: string[]): BatchOutcome {
  return each(m, cidrs, (map, key) => (map.update(key, PRESENT), true));
}

export function allowRemove(m: AllowMaps, cidrs: string[]): BatchOutcome {
  return each(m, cidrs, (map, key) => map.delete(key));
}

/** Canonical text; full-width prefixes print as plain addresses. */
export function allowList(m: AllowMaps): string[] {
  const out: string[] = [];
  for (const map of [m.allowV4, m.allowV6]) {
    for (const k of map.keys()) {
      const { family, bytes, prefix } = decodeLpmKey(k);
      out.push(prefix === (family === 4 ? 32 : 128) ? formatIp(family, bytes) : formatCidr(family, bytes, prefix));
    }
  }
  return out;
}
