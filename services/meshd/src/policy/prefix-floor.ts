import type { BanAddress } from "@honeymesh/ban/address";
import { parseAddress } from "@honeymesh/net/address";

export interface PrefixFloor {
  v4: number;
  v6: number;
}

/**
 * True when a peer's fact names a prefix wider than this node lets a peer ban. One short
 * prefix from one key holder would otherwise drop a whole provider (a /8 is 16 M addresses);
 * operator decisions made on this node are not limited, peers' are. An unparseable address is
 * left to the schema and enforcerd (it is never wider than allowed here).
 */
export function tooWide(address: BanAddress, floor: PrefixFloor): boolean {
  if (address.kind !== "cidr") return false;
  const p = parseAddress(address.text);
  if (!p.ok) return false;
  return p.value.prefix < (p.value.family === 4 ? floor.v4 : floor.v6);
}
