import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { gossipsub } from "@libp2p/gossipsub";
import { createPeerScoreParams, createTopicScoreParams } from "@libp2p/gossipsub/score";
import { identify } from "@libp2p/identify";
import { preSharedKey } from "@libp2p/pnet";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import type { IdentityKey } from "../keys/identity.ts";
import { InboundGuard } from "./inbound-guard.ts";
import { meshCrypto } from "./noise-crypto.ts";
import type { WireMeter } from "./wire-meter.ts";
import type { GossipParams } from "./gossip-params.ts";

/**
 * Inbound upgrades (pnet + Noise + Yamux) that take longer than this are aborted: a keyed peer
 * on a LAN or WAN needs a few round trips, a keyless client holding the socket gets nothing.
 */
export const INBOUND_UPGRADE_TIMEOUT_MS = 3_000;
/** Upgrades one source address may have under way (per timeout window). */
export const INBOUND_PENDING_PER_SOURCE = 4;

export interface NodeOptions {
  identity: IdentityKey;
  psk: Uint8Array;
  listen: string;
  topic: string;
  /** More topics this node may carry (each scored like `topic`). */
  topics?: string[];
  maxMessageBytes: number;
  /** App-specific score (≤ 0) from meshd's own penalty counts. */
  appScore(peer: string): number;
  refuse(peer: string): boolean;
  /** Per-source bound on pending inbound upgrades (made here when not given). */
  inbound?: InboundGuard;
  /** Mesh degree and heartbeat (gossipsub's defaults when not given). */
  gossip?: GossipParams;
  /** Liveness ping interval per connection ([mesh] ping_interval_s; libp2p's 10 s when not given). */
  pingIntervalMs?: number;
  /** Counts bytes per protocol (libp2p's metrics hook). */
  meter?: WireMeter;
}

const hostOf = (addr: string) => /^\/ip[46]\/([^/]+)/.exec(addr)?.[1] ?? addr;

/**
 * One libp2p node per cluster: TCP + Noise + Yamux behind the cluster's pnet key (no key, no
 * connection at all), identify, and gossipsub with strict signing and peer scoring. Pending
 * inbound connections are bounded per source and time out fast, so a keyless flood of the mesh
 * port cannot fill the shared pending slots and keep keyed peers out.
 */
export function createMeshNode(o: NodeOptions) {
  const topics = [o.topic, ...(o.topics ?? [])];
  const topicScore = () =>
    createTopicScoreParams({
      topicWeight: 1,
      timeInMeshWeight: 0.01,
      timeInMeshQuantum: 1000,
      timeInMeshCap: 100,
      firstMessageDeliveriesWeight: 0.5,
      firstMessageDeliveriesDecay: 0.9,
      firstMessageDeliveriesCap: 20,
      meshMessageDeliveriesWeight: 0,
      meshFailurePenaltyWeight: 0,
      invalidMessageDeliveriesWeight: -10,
      invalidMessageDeliveriesDecay: 0.99,
    });
  const inbound = o.inbound ?? new InboundGuard(INBOUND_PENDING_PER_SOURCE, INBOUND_UPGRADE_TIMEOUT_MS);
  return createLibp2p({
    privateKey: o.identity,
    addresses: { listen: [o.listen] },
    transports: [tcp()],
    // Noise's default crypto hands frames of 1200 bytes and more to node:crypto's
    // chacha20-poly1305, which Bun does not implement ("Unknown cipher"): every larger
    // message, and so anti-entropy, would silently fail. meshCrypto: pure JS, with the
    // transport cipher from libcrypto when available (same cipher, same wire).
    connectionEncrypters: [noise({ crypto: meshCrypto() })],
    // yamux's own keep-alive (a ping frame every 30 s) never drops a dead connection; the
    // connection monitor below does, so it is the one liveness check.
    streamMuxers: [yamux({ enableKeepAlive: false })],
    connectionProtector: preSharedKey({ psk: o.psk }),
    connectionGater: {
      denyInboundConnection: (maConn) => inbound.deny(hostOf(maConn.remoteAddr.toString())),
      denyInboundEncryptedConnection: (peer) => o.refuse(peer.toString()),
      denyDialPeer: (peer) => o.refuse(peer.toString()),
    },
    // 64 pending slots (libp2p's default is 10) of which one source can take only a few.
    // libp2p pings every connection from both ends (default every 10 s) and drops one whose ping
    // fails. Each ping is a new stream with protocol negotiation: about 1.4 kB on the wire with
    // TCP/IP headers and ACKs, which was most of an idle node's traffic (a node with 24 peers
    // spent ~5 kB/s on it). Once a minute still drops a silent peer within about two.
    ...(o.pingIntervalMs ? { connectionMonitor: { pingInterval: o.pingIntervalMs } } : {}),
    ...(o.meter ? { metrics: () => o.meter!.metrics() as never } : {}),
    connectionManager: { maxConnections: 128, maxIncomingPendingConnections: 64, inboundUpgradeTimeout: INBOUND_UPGRADE_TIMEOUT_MS },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // Origin signatures on every message; unsigned or mis-signed ones are rejected (and scored).
        globalSignaturePolicy: "StrictSign",
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        emitSelf: false,
        floodPublish: true,
        ...o.gossip,
        allowedTopics: topics,
        // Messages a bit over our own limit still reach the validator, to be rejected and scored.
        maxInboundDataLength: o.maxMessageBytes * 4,
        scoreParams: createPeerScoreParams({
          topics: Object.fromEntries(topics.map((t) => [t, topicScore()])),
          appSpecificScore: o.appScore,
          appSpecificWeight: 1,
          IPColocationFactorWeight: 0,
          behaviourPenaltyWeight: -1,
          behaviourPenaltyDecay: 0.99,
        }),
        scoreThresholds: { gossipThreshold: -10, publishThreshold: -50, graylistThreshold: -80, acceptPXThreshold: 10, opportunisticGraftThreshold: 5 },
      }),
    },
  });
}

export type MeshNode = Awaited<ReturnType<typeof createMeshNode>>;
