import type { BanAddress } from "@honeymesh/ban/address";

/** Bans that ended by expiry (which leaves no tombstone), for bouncers' `deleted` lists. Bounded ring. */
export class RecentDeletions {
  private readonly items: { address: BanAddress; at: number }[] = [];

  constructor(private readonly max = 100_000) {}

  add(address: BanAddress, at: number): void {
    this.items.push({ address, at });
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
  }

  since(at: number): { address: BanAddress; at: number }[] {
    return this.items.filter((i) => i.at > at);
  }
}
