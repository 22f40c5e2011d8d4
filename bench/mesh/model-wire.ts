/**
 * Byte sizes the mesh model uses: a typical fact as meshd seals it (JSON text + base64 Ed25519
 * signature in an envelope), and the framing around each copy. Framing (per libp2p specs):
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
  const envelope = JSON.stringify({ f, s: "A".repeat(86) });
  const msgId = 38 + 8;
  return {
    fact: f.length,
    message: envelope.length + FRAMING,
    msgId: msgId + 2,
    /** An RPC carrying one control message (IHAVE / IDONTWANT) without the ids. */
    ihaveFrame: 20 + 12 + 18,
    idontwant: 20 + msgId + 12 + 18,
    /** One anti-entropy round trip with equal digests: stream open (multistream-select), request, `same`. */
    sync: 2 * (40 + 12 + 18) + 120 + 30,
    keepalive: 12 + 18,
  };
}
