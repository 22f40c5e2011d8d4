/**
 * Two network namespaces ("victim" and "attacker") joined by a veth pair,
 * with IPv4 + IPv6 addresses unique per pair. Everything is named
 * hmt-<hex>-{v,a} / hm<hex>{v,a} so concurrent tests never collide, and is
 * removed by destroy(), or at process exit for pairs a crashed test left.
 * Commands run through `nsenter --net=/run/netns/NAME`, which (unlike
 * `ip netns exec`) keeps the host's /sys, so bpffs pins stay visible.
 */
import { randomBytes } from "node:crypto";
import { addNs, deleteNs, must, nsArgv, runIn, type RunResult } from "./namespaces.ts";

export { nsArgv, runIn, type RunResult };

export type Side = "victim" | "attacker";

export interface Host {
  ns: string;
  ifname: string;
  v4: string;
  v6: string;
}

export interface NetnsPair {
  id: string;
  victim: Host;
  attacker: Host;
  /** Runs argv inside a side's namespace; never throws on a non-zero exit. */
  run(side: Side, argv: string[], timeoutMs?: number): Promise<RunResult>;
  /** argv prefixed with nsenter for that side (for Bun.spawn of long-lived processes). */
  argv(side: Side, argv: string[]): string[];
  destroy(): void;
}

/**
 * Creates the pair; throws (after cleaning up) when iproute2 refuses. A `tag` (letters and digits,
 * ≤ 10, e.g. a bench's name) goes into every name, so a leftover says who made it; interface names
 * stay within IFNAMSIZ (15).
 */
export function createNetnsPair(tag?: string): NetnsPair {
  if (tag !== undefined && !/^[a-z0-9]{1,10}$/.test(tag)) throw new Error(`netns pair tag ${JSON.stringify(tag)}: 1-10 lowercase letters or digits`);
  const id = randomBytes(2).toString("hex");
  const [a, b] = [randomBytes(1)[0]!, randomBytes(1)[0]!];
  const host = (side: "v" | "a", n: number): Host => ({
    ns: tag ? `hmt-${tag}-${id}-${side}` : `hmt-${id}-${side}`,
    ifname: tag ? `${tag}${id}${side}` : `hm${id}${side}`,
    v4: `10.${a}.${b}.${n}`,
    // Canonical text (RFC 5952: no leading zeros, no lone zero group before "::"), because
    // the node reports addresses canonically and tests compare strings.
    v6: `fd00:${Number.parseInt(id, 16).toString(16)}:${(a || 1).toString(16)}::${n}`,
  });
  const victim = host("v", 1);
  const attacker = host("a", 2);
  try {
    for (const h of [victim, attacker]) {
      addNs(h.ns);
    }
    must(["ip", "link", "add", victim.ifname, "netns", victim.ns, "type", "veth", "peer", "name", attacker.ifname, "netns", attacker.ns]);
    for (const h of [victim, attacker]) {
      must(["ip", "-n", h.ns, "link", "set", "lo", "up"]);
      must(["ip", "-n", h.ns, "addr", "add", `${h.v4}/24`, "dev", h.ifname]);
      // nodad: usable at once, no 1-2 s wait for duplicate address detection.
      must(["ip", "-n", h.ns, "-6", "addr", "add", `${h.v6}/64`, "dev", h.ifname, "nodad"]);
      must(["ip", "-n", h.ns, "link", "set", h.ifname, "up"]);
    }
  } catch (e) {
    deleteNs(victim.ns);
    deleteNs(attacker.ns);
    throw e;
  }
  const nsOf = (s: Side) => (s === "victim" ? victim.ns : attacker.ns);
  return {
    id,
    victim,
    attacker,
    run: (side, argv, timeoutMs) => runIn(nsOf(side), argv, timeoutMs),
    argv: (side, argv) => nsArgv(nsOf(side), argv),
    destroy() {
      deleteNs(victim.ns);
      deleteNs(attacker.ns);
    },
  };
}
