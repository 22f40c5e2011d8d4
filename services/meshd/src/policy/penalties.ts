/**
 * Counts a peer's offences in a sliding minute; past `limit` it is quarantined: disconnected
 * and refused for `quarantineMs`. gossipsub's own scoring graylists it too, but only while
 * it stays connected; this survives reconnects. Bounded maps, oldest entries go first.
 */
export class Penalties {
  private readonly recent = new Map<string, { n: number; since: number }>();
  private readonly quarantine = new Map<string, number>();

  constructor(
    private readonly limit = 50,
    private readonly quarantineMs = 10 * 60_000,
    private readonly max = 4096,
  ) {}

  /** Records one offence; true when this one puts the peer in quarantine. */
  offend(peer: string, now = Date.now()): boolean {
    let r = this.recent.get(peer);
    if (!r || now - r.since > 60_000) {
      if (!r && this.recent.size >= this.max) this.recent.delete(this.recent.keys().next().value!);
      r = { n: 0, since: now };
      this.recent.set(peer, r);
    }
    r.n++;
    if (r.n !== this.limit) return false;
    if (this.quarantine.size >= this.max) this.quarantine.delete(this.quarantine.keys().next().value!);
    this.quarantine.set(peer, now + this.quarantineMs);
    return true;
  }

  quarantined(peer: string, now = Date.now()): boolean {
    const until = this.quarantine.get(peer);
    if (until === undefined) return false;
    if (until > now) return true;
    this.quarantine.delete(peer);
    return false;
  }

  size(): number {
    return this.quarantine.size;
  }
}
