import type { HealthReport } from "@honeymesh/runtime/health";
import { MESH_IGNORES, MESH_OUTCOMES, MESH_REJECTS, MESH_SHARED, MESH_SYNC, type OwnMetrics, type SameNames } from "@honeymesh/schema/metrics";
import type { MeshCluster, Outcome } from "./net/cluster.ts";
import type { IgnoreReason, RejectReason } from "./policy/admit.ts";
import type { PeerBook } from "./store/peer-book.ts";

// Every reason meshd counts has its key in the metrics, and no other.
const sameNames: [SameNames<RejectReason, (typeof MESH_REJECTS)[number]>, SameNames<IgnoreReason, (typeof MESH_IGNORES)[number]>, SameNames<Outcome, (typeof MESH_OUTCOMES)[number]>] = [true, true, true];
void sameNames;

/** Degraded while no cluster is configured. */
export function meshHealth(clusters: readonly MeshCluster[], off?: string): HealthReport {
  if (clusters.length > 0) return { degraded: [] };
  return { degraded: [{ code: "mesh_off", detail: (off ?? "no cluster key configured (mesh.cluster_key_file)").slice(0, 512) }] };
}

/** Peers, messages, refusals by reason and per-cluster sync. */
export function meshMetrics(clusters: readonly MeshCluster[], book: PeerBook): OwnMetrics<"meshd"> {
  const t = book.totals();
  return {
    peers_connected: clusters.reduce((n, c) => n + c.connectedPeers(), 0),
    peers_misbehaving: book.misbehaving(),
    peers_quarantined: clusters.reduce((n, c) => n + c.quarantined(), 0),
    msgs_in: t.msgsIn,
    msgs_out: t.msgsOut,
    msgs_rejected: t.rejected,
    msgs_rate_limited: t.rateLimited,
    penalties: t.penalties,
    clusters: clusters.slice(0, 16).map((c) => {
      const counts = c.set.counts();
      return {
        name: c.name.slice(0, 64),
        peer_id: c.peerId.slice(0, 128),
        live_bans: counts.bans,
        live_tombstones: counts.tombstones,
        mesh_subscribers: c.meshPeers(),
        observed_facts: c.observed.size,
        inbound_refused: c.inbound.refused,
        outbox_queued: c.outbox.size,
        outbox_dropped: c.outbox.dropped,
        shared: c.shared.pick(MESH_SHARED),
        rejected: c.rejected.pick(MESH_REJECTS),
        ignored: c.ignored.pick(MESH_IGNORES),
        outcomes: c.outcomes.pick(MESH_OUTCOMES),
        sync: c.sync.pick(MESH_SYNC),
      };
    }),
  };
}
