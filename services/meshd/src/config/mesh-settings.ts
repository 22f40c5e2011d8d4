import { join } from "node:path";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { REASONS, reasonMask } from "@honeymesh/ban/reasons";
import { MeshError } from "../errors.ts";
import { parseTrust, type Trust } from "../policy/trust.ts";
import { toDialAddr, toListenAddr } from "./addresses.ts";

export interface ClusterSettings {
  name: string;
  keyFile: string;
  /** libp2p listen multiaddr. */
  listen: string;
  /** Multiaddrs to dial (and redial when they drop). */
  bootstrap: string[];
}

/** The `[mesh]` section, parsed once into what meshd runs on. */
export interface MeshSettings {
  clusters: ClusterSettings[];
  /** Reason bits of local bans that are shared (MESH never is: no loops). */
  shareMask: number;
  defaultTrust: Trust;
  peerTrust: ReadonlyMap<string, Trust>;
  ttlCapS: number;
  ratePerS: number;
  rateBurst: number;
  syncIntervalMs: number;
  maxMessageBytes: number;
  /** Own facts are collected this long into one signed batch (wire v2); caps hold both ways. */
  batchWindowMs: number;
  batchMaxItems: number;
  batchMaxBytes: number;
  maxFacts: number;
  /** Shortest prefix a peer's ban may name, per family. */
  minPrefixV4: number;
  minPrefixV6: number;
  cidrRatePerS: number;
  cidrRateBurst: number;
  /** Size of the separate set for facts of observe-level and unnamed peers. */
  observeMaxFacts: number;
  /** gossipsub mesh degree and heartbeat (net/gossip-params.ts derives the rest). */
  gossipD: number;
  gossipHeartbeatMs: number;
  /** Liveness ping per connection (libp2p connection monitor); a failed one drops the connection. */
  pingIntervalMs: number;
  identityDir: string;
  storePath: string;
}

/** Throws MeshError("MESH_CONFIG") naming the key when a value cannot be used. */
export function meshSettings(config: FrozenConfig): MeshSettings {
  const m = config.mesh;
  const share = reasonMask(m.share);
  if (share === undefined) throw new MeshError("MESH_CONFIG", `mesh.share = ${JSON.stringify(m.share)}: allowed are ${Object.keys(REASONS).join(", ")}`);
  const peerTrust = new Map<string, Trust>();
  for (const entry of m.peer_trust) {
    const i = entry.indexOf("=");
    peerTrust.set(entry.slice(0, i), parseTrust(entry.slice(i + 1)));
  }
  const boot = new Map<string, string[]>();
  for (const raw of m.bootstrap) {
    const eq = raw.startsWith("/") ? -1 : raw.indexOf("=");
    const cluster = eq > 0 ? raw.slice(0, eq) : m.cluster;
    const list = boot.get(cluster) ?? [];
    list.push(toDialAddr(eq > 0 ? raw.slice(eq + 1) : raw, "mesh.bootstrap"));
    boot.set(cluster, list);
  }
  const clusters: ClusterSettings[] = [];
  if (m.cluster_key_file) clusters.push({ name: m.cluster, keyFile: m.cluster_key_file, listen: toListenAddr(m.listen, "mesh.listen"), bootstrap: [] });
  for (const raw of m.clusters) {
    const eq = raw.indexOf("=");
    const at = raw.lastIndexOf("@");
    const name = raw.slice(0, eq);
    if (clusters.some((c) => c.name === name)) throw new MeshError("MESH_CONFIG", `mesh.clusters: cluster ${name} is configured twice`);
    clusters.push({ name, keyFile: raw.slice(eq + 1, at), listen: toListenAddr(raw.slice(at + 1), "mesh.clusters"), bootstrap: [] });
  }
  for (const c of clusters) c.bootstrap = boot.get(c.name) ?? [];
  for (const name of boot.keys()) {
    if (!clusters.some((c) => c.name === name)) throw new MeshError("MESH_CONFIG", `mesh.bootstrap names cluster ${name}, which has no key (mesh.cluster_key_file or mesh.clusters)`);
  }
  return {
    clusters,
    shareMask: share & ~REASONS.MESH,
    defaultTrust: parseTrust(m.trust),
    peerTrust,
    ttlCapS: m.ttl_cap_s,
    ratePerS: m.rate_per_s,
    rateBurst: m.rate_burst,
    syncIntervalMs: m.sync_interval_s * 1000,
    maxMessageBytes: m.max_message_bytes,
    batchWindowMs: m.batch_window_ms,
    batchMaxItems: m.batch_max_items,
    batchMaxBytes: m.batch_max_bytes,
    maxFacts: m.max_facts,
    minPrefixV4: m.min_prefix_v4,
    minPrefixV6: m.min_prefix_v6,
    cidrRatePerS: m.cidr_rate_per_s,
    cidrRateBurst: m.cidr_rate_burst,
    observeMaxFacts: m.observe_max_facts,
    gossipD: m.gossip_d,
    gossipHeartbeatMs: m.gossip_heartbeat_ms,
    pingIntervalMs: m.ping_interval_s * 1000,
    identityDir: join(config.node.state_dir, "meshd"),
    storePath: join(config.node.state_dir, "meshd.sqlite"),
  };
}
