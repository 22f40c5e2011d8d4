/**
 * gossipsub's mesh parameters as meshd ships them ([mesh] gossip_d, gossip_heartbeat_ms); the
 * rest follows D in gossipsub's own proportions (v1.1 spec defaults are D=6, Dlo=4, Dhi=12,
 * Dlazy=6). bench/mesh/model.ts models the mesh with these same values.
 *
 * Why D = 5 (one less than the default) for a security mesh: every node receives each batch
 * about D times (flood publish from the origin, then mesh forwards that IDONTWANT does not stop
 * in time), and each copy costs the receiver decryption and decoding; a ban must still survive
 * peers that drop it, which D - 1 = 4 independent mesh paths, IHAVE gossip to D more peers each
 * heartbeat, flood publish to every connected peer and anti-entropy all cover. Dhi = 2D bounds
 * how many peers a well-connected node forwards to. Heartbeat 1 s: gossip (IHAVE) repairs a lost
 * copy within about a second; an idle mesh sends nothing on a heartbeat (no IHAVE without ids,
 * no GRAFT/PRUNE once the mesh is stable), so a slower one would only save CPU.
 */
export interface GossipParams {
  D: number;
  Dlo: number;
  Dhi: number;
  Dlazy: number;
  /** Outbound peers kept in the mesh (gossipsub needs Dout < Dlo and Dout ≤ D / 2). */
  Dout: number;
  /** IHAVE goes to max(Dlazy, gossipFactor × non-mesh peers) peers per heartbeat. */
  gossipFactor: number;
  heartbeatInterval: number;
  /** Heartbeats of message ids advertised in IHAVE. */
  mcacheGossip: number;
  /** Messages at least this large are announced with IDONTWANT to mesh peers. */
  idontwantMinDataSize: number;
}

export function gossipParams(d: number, heartbeatMs: number): GossipParams {
  return { D: d, Dlo: Math.max(1, d - 1), Dhi: 2 * d, Dlazy: d, Dout: Math.min(2, Math.floor(d / 2), d - 2), gossipFactor: 0.25, heartbeatInterval: heartbeatMs, mcacheGossip: 3, idontwantMinDataSize: 512 };
}
