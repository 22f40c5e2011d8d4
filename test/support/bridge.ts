/**
 * N network namespaces on one Linux bridge: a LAN for multi-node tests. The bridge lives in
 * its own "switch" namespace, so nothing touches the host's interfaces. Every host gets a
 * veth whose other end is a bridge port, and an IPv4 /24 unique to this bridge. Names are
 * hmb-<hex>-* (namespaces) and hb<hex>… (interfaces, ≤ 15 chars) so concurrent tests never
 * collide; destroy() removes everything, and an exit hook removes what a crashed test left.
 * Commands run through `nsenter --net=/run/netns/NAME` (unlike `ip netns exec` it keeps the
 * host's /sys, so bpffs pins stay visible).
 */
import { randomBytes } from "node:crypto";
import { addNs, deleteNs, must, nsArgv, runIn, type RunResult } from "@honeymesh/netns/namespaces";

export interface BridgeHost {
  name: string;
  ns: string;
  /** The host's interface (attach XDP here). */
  ifname: string;
  /** The bridge port facing this host (set it down to cut the host off). */
  port: string;
  v4: string;
  run(argv: string[], timeoutMs?: number): Promise<RunResult>;
  argv(argv: string[]): string[];
  linkDown(): void;
  linkUp(): void;
}

export interface Bridge {
  id: string;
  hosts: BridgeHost[];
  host(name: string): BridgeHost;
  add(name: string): BridgeHost;
  destroy(): void;
}

/** Creates the bridge and one host per name (more with add()); throws after cleaning up. */
export function createBridge(names: readonly string[]): Bridge {
  const id = randomBytes(2).toString("hex");
  const [a, b] = [randomBytes(1)[0]!, randomBytes(1)[0]!];
  const sw = `hmb-${id}-sw`;
  const hosts: BridgeHost[] = [];
  const owned = [sw];
  const destroy = () => {
    // Deleting a namespace deletes its veth ends, and with them their peers on the bridge.
    for (const ns of owned) deleteNs(ns);
  };
  const add = (name: string): BridgeHost => {
    const n = hosts.length + 1;
    if (n > 250) throw new Error("a bridge holds at most 250 hosts");
    const ns = `hmb-${id}-${n}`;
    const ifname = `hb${id}h${n}`;
    const port = `hb${id}p${n}`;
    addNs(ns);
    owned.push(ns);
    must(["ip", "link", "add", ifname, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw]);
    must(["ip", "-n", sw, "link", "set", port, "master", "br0"]);
    must(["ip", "-n", sw, "link", "set", port, "up"]);
    must(["ip", "-n", ns, "link", "set", "lo", "up"]);
    const v4 = `10.${a}.${b}.${n}`;
    must(["ip", "-n", ns, "addr", "add", `${v4}/24`, "dev", ifname]);
    must(["ip", "-n", ns, "link", "set", ifname, "up"]);
    const host: BridgeHost = {
      name,
      ns,
      ifname,
      port,
      v4,
      run: (argv, timeoutMs) => runIn(ns, argv, timeoutMs),
      argv: (argv) => nsArgv(ns, argv),
      linkDown: () => must(["ip", "-n", sw, "link", "set", port, "down"]),
      linkUp: () => must(["ip", "-n", sw, "link", "set", port, "up"]),
    };
    hosts.push(host);
    return host;
  };
  try {
    addNs(sw);
    must(["ip", "-n", sw, "link", "add", "br0", "type", "bridge"]);
    // No STP listening delay and no multicast snooping surprises: frames flow at once.
    must(["ip", "-n", sw, "link", "set", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0"]);
    must(["ip", "-n", sw, "link", "set", "br0", "up"]);
    for (const n of names) add(n);
  } catch (e) {
    destroy();
    throw e;
  }
  return {
    id,
    hosts,
    host: (name) => {
      const h = hosts.find((x) => x.name === name);
      if (!h) throw new Error(`no host ${name} on bridge ${id}`);
      return h;
    },
    add: (name) => {
      try {
        return add(name);
      } catch (e) {
        destroy();
        throw e;
      }
    },
    destroy,
  };
}
