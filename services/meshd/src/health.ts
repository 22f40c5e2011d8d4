import type { HealthReport } from "@honeymesh/runtime/health";
import type { MeshCluster } from "./net/cluster.ts";
import type { PeerBook } from "./store/peer-book.ts";

/** Mesh facts for health/status: peers, live set, refusals by reason, per-cluster sync. */
export function meshHealth(clusters: readonly MeshCluster[], book: PeerBook, off?: string): HealthReport {
  if (clusters.length === 0) return { status: "degraded", details: { mesh: "off", reason: off ?? "no cluster key configured (mesh.cluster_key_file)" } };
  const t = book.totals();
  const details: HealthReport["details"] = {
    mesh: "on",
    clusters: clusters.map((c) => c.name).join(","),
    peer_id: clusters[0]!.peerId,
    peers_connected: clusters.reduce((n, c) => n + c.connectedPeers(), 0),
    peers_misbehaving: book.misbehaving(),
    peers_quarantined: clusters.reduce((n, c) => n + c.quarantined(), 0),
    msgs_in: t.msgsIn,
    msgs_out: t.msgsOut,
    msgs_rejected: t.rejected,
    msgs_rate_limited: t.rateLimited,
    penalties: t.penalties,
  };
  for (const c of clusters) {
    const p = clusters.length === 1 ? "" : `${c.name}_`;
    const counts = c.set.counts();
    details[`${p}live_bans`] = counts.bans;
    details[`${p}live_tombstones`] = counts.tombstones;
    details[`${p}mesh_subscribers`] = c.meshPeers();
    details[`${p}observed_facts`] = c.observed.size;
    details[`${p}inbound_refused`] = c.inbound.refused;
    for (const [k, v] of Object.entries(c.shared.snapshot())) details[`${p}shared_${k}`] = v;
    for (const [k, v] of Object.entries(c.rejected.snapshot())) details[`${p}rejected_${k}`] = v;
    for (const [k, v] of Object.entries(c.ignored.snapshot())) details[`${p}ignored_${k}`] = v;
    for (const [k, v] of Object.entries(c.outcomes.snapshot())) details[`${p}outcome_${k}`] = v;
    for (const [k, v] of Object.entries(c.sync.snapshot())) details[`${p}sync_${k}`] = v;
  }
  return { status: "ok", details };
}
