import { makePinRoot, removePinRoot } from "../kernel/harness.ts";
import { waitFor } from "./bus-node.ts";
import { createNetnsPair, type NetnsPair } from "./netns.ts";
import { NsNode } from "./ns-node.ts";

export interface EnforcingNode {
  pair: NetnsPair;
  pinRoot: string;
  node: NsNode;
  stop(): Promise<void>;
}

export interface EnforcingNodeOptions {
  /** Services besides busd, started in this order; all must report health before this returns. */
  services: string[];
  /** More config for the node, given the pair (its addresses). */
  env?: (pair: NetnsPair) => Record<string, string>;
  agentKinds?: string[];
  /** Runs after busd and the agent are up, before the services (e.g. a trace receiver). */
  beforeServices?: (node: NsNode) => Promise<void>;
  timeoutMs?: number;
  /** Arguments for every service (e.g. `--config PATH`), read when they are spawned. */
  args?: () => string[];
  /** Goes into the namespace, veth and pin names (createNetnsPair's tag), e.g. a bench's name. */
  tag?: string;
}

/**
 * A node inside the victim namespace of a fresh pair, enforcing with native XDP on the victim's
 * veth and private pins: what every kernel end-to-end test and bench starts from. stop() removes
 * the processes, the namespaces and the pins; a failed start removes them too.
 */
export async function startEnforcingNode(o: EnforcingNodeOptions): Promise<EnforcingNode> {
  const pair = createNetnsPair(o.tag);
  const pinRoot = makePinRoot(o.tag);
  const node = new NsNode(
    pair,
    {
      HONEYMESH_ENFORCER_INTERFACES: pair.victim.ifname,
      HONEYMESH_ENFORCER_MODE: "enforce",
      HONEYMESH_ENFORCER_XDP_MODE: "native",
      HONEYMESH_ENFORCER_PIN_ROOT: pinRoot,
      ...o.env?.(pair),
    },
    o.agentKinds,
  );
  const stop = async () => {
    await node.stop();
    pair.destroy();
    removePinRoot(pinRoot);
  };
  try {
    await node.start();
    await o.beforeServices?.(node);
    for (const s of o.services) node.spawn(s, {}, o.args?.() ?? []);
    await waitFor(
      () => o.services.every((s) => node.health(s) !== undefined) && (!o.services.includes("enforcerd") || node.health("enforcerd")?.enforcement?.kernel === "active"),
      o.timeoutMs ?? 20_000,
      `${o.services.join(", ")} up`,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { pair, pinRoot, node, stop };
}
