import { AllowSet } from "@honeymesh/ban/allowlist";
import { parseAddress } from "@honeymesh/net/address";
import { systemAllowEntries } from "@honeymesh/net/system-allow";

/**
 * What a peer's decision may never ban here: the node's allowlist (system entries and
 * `[allow] cidrs`, the shared AllowSet) plus the addresses of connected mesh peers (a hostile peer
 * must not be able to cut the mesh by banning its members). Stricter than enforcerd for prefixes:
 * a peer's prefix that merely contains an allowed address is refused outright. enforcerd checks
 * its own allowlist again.
 */
export class MeshAllowlist {
  private readonly set = new AllowSet();
  private readonly peersByCluster = new Map<string, Set<string>>();
  readonly ignored: string[];

  /** Called with every peer address of every cluster whenever they change (meshd publishes them). */
  onPeers: ((addresses: string[]) => void) | undefined;
  private lastPeers = "";

  constructor(cidrs: readonly string[], system: readonly string[] = systemAllowEntries()) {
    this.set.add(system, "system");
    this.ignored = this.set.add(cidrs, "config").map((b) => b.text);
  }

  /** The addresses of a cluster's connected peers (replacing that cluster's previous list). */
  setPeerAddresses(cluster: string, addrs: Iterable<string>): void {
    this.peersByCluster.set(cluster, new Set(addrs));
    const all = [...new Set([...this.peersByCluster.values()].flatMap((s) => [...s]))].sort();
    const key = all.join(",");
    // Called every housekeeping round (2 s); the set is rebuilt only when the peers changed.
    if (key !== this.lastPeers) {
      this.set.replaceSource("peer", all);
      this.lastPeers = key;
      this.onPeers?.(all);
    }
  }

  /** Every connected peer's address, over all clusters. */
  peers(): string[] {
    return this.lastPeers ? this.lastPeers.split(",") : [];
  }

  /** True when `address` (an address or a prefix) touches anything allowed. */
  covers(address: string): boolean {
    const p = parseAddress(address);
    return p.ok && this.set.overlapping(p.value).length > 0;
  }
}
