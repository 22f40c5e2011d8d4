import { noise, pureJsCrypto } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { gossipsub } from "@libp2p/gossipsub";
import { createPeerScoreParams, createTopicScoreParams } from "@libp2p/gossipsub/score";
import { identify } from "@libp2p/identify";
import { preSharedKey } from "@libp2p/pnet";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import type { IdentityKey } from "../keys/identity.ts";

export interface NodeOptions {
  identity: IdentityKey;
  psk: Uint8Array;
  listen: string;
  topic: string;
  maxMessageBytes: number;
  /** App-specific score (≤ 0) from meshd's own penalty counts. */
  appScore(peer: string): number;
  refuse(peer: string): boolean;
}

/**
 * One libp2p node per cluster: TCP + Noise + Yamux behind the cluster's pnet key (no key, no
 * connection at all), identify, and gossipsub with strict signing and peer scoring.
 */
export function createMeshNode(o: NodeOptions) {
  return createLibp2p({
    privateKey: o.identity,
    addresses: { listen: [o.listen] },
    transports: [tcp()],
    // Noise's default crypto hands frames of 1200 bytes and more to node:crypto's
    // chacha20-poly1305, which Bun does not implement ("Unknown cipher"): every larger
    // message, and so anti-entropy, would silently fail. The pure-JS (noble) one works.
    connectionEncrypters: [noise({ crypto: pureJsCrypto })],
    streamMuxers: [yamux()],
    connectionProtector: preSharedKey({ psk: o.psk }),
    connectionGater: {
      denyInboundEncryptedConnection: (peer) => o.refuse(peer.toString()),
      denyDialPeer: (peer) => o.refuse(peer.toString()),
    },
    connectionManager: { maxConnections: 128 },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // Origin signatures on every message; unsigned or mis-signed ones are rejected (and scored).
        globalSignaturePolicy: "StrictSign",
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        emitSelf: false,
        floodPublish: true,
        allowedTopics: [o.topic],
        // Messages a bit over our own limit still reach the validator, to be rejected and scored.
        maxInboundDataLength: o.maxMessageBytes * 4,
        scoreParams: createPeerScoreParams({
          topics: {
            [o.topic]: createTopicScoreParams({
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
            }),
          },
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
