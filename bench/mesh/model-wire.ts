/**
 * Byte sizes the mesh model uses: a typical fact as meshd seals it on wire v2 (a batch of one:
 * the fact's JSON text in a signed batch message, the case of a federation whose origins each
 * ban less than once per batch window), and the framing around each copy. Framing (per libp2p specs):
 * gossipsub RPC protobuf (from: 38 B peer id, seqno 8 B, topic, signature 64 B, field tags) ≈
 * 130 B; yamux data frame header 12 B; noise: 2 B length + 16 B tag per frame.
 */
const FRAMING = 130 + 12 + 18;

export function seal() {
  const fact = {
    v: 2,
    c: "default",
    k: "ban",
    address: { kind: "ip", text: "203.0.113.45" },
    r: 1 | 2,
    ttl: 3600,
    o: "node-7f3a9c2e",
    p: "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo",
    at: 1_764_000_000_000,
    off: 2,
    ev: [
      { kind: "scan", ports: [22, 23, 80, 443, 3389, 5900, 8080, 8443], count: 12, window_s: 60 },
      { kind: "trap", trap: "ssh", count: 1 },
    ],
    tp: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  };
  const f = JSON.stringify(fact);
  const envelope = JSON.stringify({ v: 1, c: fact.c, p: fact.p, id: "k3x9-mi4q2b7c-1f", f: [f], s: "A".repeat(88) });
  const msgId = 38 + 8;
  return {
    fact: f.length,
    message: envelope.length + FRAMING,
    msgId: msgId + 2,
    /** An RPC carrying one control message (IHAVE / IDONTWANT) without the ids. */
    ihaveFrame: 20 + 12 + 18,
    idontwant: 20 + msgId + 12 + 18,
    /**
     * One anti-entropy round trip with equal digests, and one liveness ping (a stream to
     * /ipfs/ping/1.0.0 that multistream-select refuses: meshd runs no ping handler, which is
     * enough to prove the peer alive), each with yamux, Noise, TCP/IP headers and ACKs: about
     * 1.3 kB, as bench/mesh/run.ts --only idle breaks a hub's idle traffic down at 10 nodes.
     */
    sync: 1300,
    ping: 1300,
  };
}
