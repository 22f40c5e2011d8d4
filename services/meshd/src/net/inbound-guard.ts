/**
 * Per-source bound on inbound connections still being upgraded (pnet, Noise, Yamux). A client
 * without the cluster key never finishes the pnet handshake; held open, such connections fill
 * libp2p's pending-upgrade slots (10 by default, shared by everyone) and keep keyed peers out
 * until the upgrade times out. Here each source address may hold only `perSource` attempts per
 * upgrade timeout; an attempt counts until that timeout, which is also when libp2p aborts it at
 * the latest. Bounded: at most `maxSources` addresses tracked, the oldest dropped first.
 */
export class InboundGuard {
  private readonly attempts = new Map<string, number[]>();
  refused = 0;

  constructor(
    private readonly perSource: number,
    private readonly windowMs: number,
    private readonly maxSources = 4096,
  ) {}

  /** True when a new inbound connection from `source` is to be refused. */
  deny(source: string, now = performance.now()): boolean {
    const live = (this.attempts.get(source) ?? []).filter((t) => now - t < this.windowMs);
    if (live.length >= this.perSource) {
      this.attempts.set(source, live);
      this.refused++;
      return true;
    }
    live.push(now);
    this.attempts.delete(source);
    if (this.attempts.size >= this.maxSources) this.attempts.delete(this.attempts.keys().next().value!);
    this.attempts.set(source, live);
    return false;
  }
}
