import { multiaddr } from "@multiformats/multiaddr";
import type { MeshNode } from "./libp2p-node.ts";

/**
 * Keeps the bootstrap peers connected: dials each one that is not, every `everyMs`. An entry
 * given as host:port has no peer id; the one learned at the first successful dial is kept.
 */
export class Redialer {
  private readonly known = new Map<string, string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  failures = 0;

  constructor(
    private readonly node: MeshNode,
    private readonly addrs: readonly string[],
    private readonly everyMs = 2_000,
  ) {
    for (const a of addrs) {
      const id = /\/p2p\/([^/]+)$/.exec(a)?.[1];
      if (id) this.known.set(a, id);
    }
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const connected = new Set(this.node.getPeers().map(String));
      await Promise.all(
        this.addrs.map(async (a) => {
          const id = this.known.get(a);
          if (id && connected.has(id)) return;
          try {
            const conn = await this.node.dial(multiaddr(a), { signal: AbortSignal.timeout(3_000) });
            this.known.set(a, conn.remotePeer.toString());
          } catch {
            this.failures++;
          }
        }),
      );
    } finally {
      this.busy = false;
    }
  }
}
