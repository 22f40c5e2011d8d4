import { canonicalAddress } from "@honeymesh/ban/address";

export interface AllowLimits {
  v4: number;
  v6: number;
}

/**
 * An allowlist entry exempts its whole prefix from every ban, so a /0 (or a /4) would silently
 * disable the node. Entries broader than `[api] allow_min_prefix_v4` / `_v6` are refused unless
 * the admin confirms with `force: true`; the refusal says which key and how to confirm.
 * Returns the problem text, or undefined when the entry may be added (bad addresses are left to
 * the write path, which names them).
 */
export function tooBroad(address: string, force: boolean, limits: AllowLimits): string | undefined {
  if (force) return undefined;
  const c = canonicalAddress(address);
  if (!c.ok) return undefined;
  const v6 = c.parsed.family === 6;
  const min = v6 ? limits.v6 : limits.v4;
  if (c.parsed.prefix >= min) return undefined;
  return `${c.address.text} covers more than a /${min} (config [api] allow_min_prefix_${v6 ? "v6" : "v4"}); send "force": true (CLI: allow add ${c.address.text} --force) to allow it anyway`;
}
