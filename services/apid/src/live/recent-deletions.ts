/** Bans that ended by expiry (which leaves no tombstone), for bouncers' `deleted` lists. Bounded ring. */
export class RecentDeletions {
  private readonly items: { value: string; at: number }[] = [];

  constructor(private readonly max = 100_000) {}

  add(value: string, at: number): void {
    this.items.push({ value, at });
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
  }

  since(at: number): { value: string; at: number }[] {
    return this.items.filter((i) => i.at > at);
  }
}
