import { BlockList, isIP } from "node:net";
import { networkInterfaces } from "node:os";

/**
 * What a peer's decision may never ban here: `[allow] cidrs`, loopback, this host's own
 * addresses, and the addresses of connected mesh peers (a hostile peer must not be able
 * to cut the mesh by banning its members). enforcerd checks its own allowlist again.
 */
export class MeshAllowlist {
  private readonly fixed = new BlockList();
  private readonly peersByCluster = new Map<string, Set<string>>();
  private peers = new Set<string>();
  readonly ignored: string[] = [];

  constructor(cidrs: readonly string[]) {
    this.fixed.addSubnet("127.0.0.0", 8, "ipv4");
    this.fixed.addAddress("::1", "ipv6");
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) this.addOne(a.address.split("%")[0]!);
    for (const c of cidrs) if (!this.addOne(c)) this.ignored.push(c);
  }

  private addOne(entry: string): boolean {
    const [addr, len] = entry.split("/") as [string, string | undefined];
    const v = isIP(addr);
    if (v === 0) return false;
    const type = v === 4 ? "ipv4" : "ipv6";
    try {
      if (len === undefined) this.fixed.addAddress(addr, type);
      else this.fixed.addSubnet(addr, Number(len), type);
      return true;
    } catch {
      return false;
    }
  }

  /** The addresses of a cluster's connected peers (replacing that cluster's previous list). */
  setPeerAddresses(cluster: string, addrs: Iterable<string>): void {
    this.peersByCluster.set(cluster, new Set(addrs));
    this.peers = new Set([...this.peersByCluster.values()].flatMap((s) => [...s]));
  }

  /** True when `value` (an address or a CIDR) touches anything allowed. */
  covers(value: string): boolean {
    const [addr, lenRaw] = value.split("/") as [string, string | undefined];
    const v = isIP(addr);
    if (v === 0) return false;
    const type = v === 4 ? "ipv4" : "ipv6";
    if (lenRaw === undefined) return this.fixed.check(addr, type) || this.peers.has(addr);
    const len = Number(lenRaw);
    // A prefix is refused when it contains an allowed address or lies inside an allowed one.
    if (this.fixed.check(addr, type)) return true;
    const probe = new BlockList();
    probe.addSubnet(addr, len, type);
    for (const p of this.peers) if (isIP(p) === v && probe.check(p, type)) return true;
    for (const rule of this.fixed.rules) {
      const m = /^(?:Address|Subnet): IPv[46] ([0-9a-fA-F:.]+)(?:\/\d+)?$/.exec(rule);
      if (m && isIP(m[1]!) === v && probe.check(m[1]!, type)) return true;
    }
    return false;
  }
}
