import * as lp from "it-length-prefixed";
import type { Libp2p } from "libp2p";
import type { Entry } from "../facts/fact-set.ts";

/**
 * Anti-entropy (DESIGN §5): the live decision sets of two peers, exchanged on demand. Version 2
 * carries both wire forms (v1 envelopes and v2 batch items with their proofs); version 1 is
 * still served, with the v1 envelopes only, to nodes that cannot open the others.
 */
export const SYNC_PROTOCOL = "/honeymesh/sync/2";
export const SYNC_PROTOCOL_V1 = "/honeymesh/sync/1";
const REQUEST_MAX = 512;
/** A v2 request carries the 64 range digests. */
const REQUEST_MAX_V2 = 2048;
/** v2 packs envelopes into frames of about this size (one noise/yamux frame for many facts). */
const PACK_BYTES = 16_384;
/** Largest v2 frame a client takes: a pack, or one envelope alone (at most max_message_bytes ≤ 64 KiB). */
const FRAME_MAX_V2 = 70_000;
const TIMEOUT_MS = 15_000;

type Stream = Parameters<Parameters<Libp2p["handle"]>[1]>[0];
type PeerIdOf = Parameters<Libp2p["dialProtocol"]>[0];

interface Request {
  v: 1 | 2;
  c: string;
  /** The requester's digest: equal digests mean the answer is just `same`. */
  d: string;
}
/**
 * v1 and v2: `{same, n}` then n envelopes. v2 on differing digests first answers `{same: false,
 * n: 0, ranges: true}`; the requester then sends `{r: [64 range digests]}` and gets the header and
 * only the differing ranges. Equal sets (the idle case) cost one small round trip, as in v1.
 */
interface Header {
  same: boolean;
  n: number;
  ranges?: boolean;
}

const enc = new TextEncoder();
const frame = (x: unknown) => lp.encode.single(enc.encode(typeof x === "string" ? x : JSON.stringify(x)));
const text = (b: { subarray(): Uint8Array }) => new TextDecoder().decode(b.subarray());

export interface SyncServerDeps {
  cluster: string;
  /** 1: one envelope per frame, the whole live set; 2: packed frames, differing ranges only. */
  version: 1 | 2;
  digest(): string;
  /** What to send when digests differ; v2 passes the requester's range digests (unchecked input). */
  entries(theirRanges?: unknown): Entry[];
  /** Per-peer budget of answers (a full dump costs the server; a peer may not loop on it). */
  allow(peer: string): boolean;
  onServed(peer: string, n: number): void;
}

/** Reads one JSON frame; undefined when the stream ends or the frame is not JSON. */
async function nextJson(it: AsyncIterator<{ subarray(): Uint8Array }>): Promise<unknown> {
  const next = await it.next();
  if (next.done) return undefined;
  try {
    return JSON.parse(text(next.value)) as unknown;
  } catch {
    return undefined;
  }
}

/** Answers one request: `{same}` or a header and the envelopes as they travel in gossip. */
export async function serveSync(stream: Stream, peer: string, deps: SyncServerDeps): Promise<void> {
  const timer = setTimeout(() => stream.abort(new Error("sync timed out")), TIMEOUT_MS);
  const send = async (x: unknown) => {
    if (!stream.send(frame(x))) await stream.onDrain({ signal: AbortSignal.timeout(TIMEOUT_MS) });
  };
  try {
    const it = lp.decode(stream, { maxDataLength: deps.version === 2 ? REQUEST_MAX_V2 : REQUEST_MAX })[Symbol.asyncIterator]();
    const x = (await nextJson(it)) as Request | undefined;
    const req = x && typeof x === "object" && x.v === deps.version && x.c === deps.cluster && typeof x.d === "string" ? x : undefined;
    if (req && deps.allow(peer)) {
      if (req.d === deps.digest()) stream.send(frame({ same: true, n: 0 } satisfies Header));
      else {
        let ranges: unknown;
        if (deps.version === 2) {
          stream.send(frame({ same: false, n: 0, ranges: true } satisfies Header));
          ranges = ((await nextJson(it)) as { r?: unknown } | undefined)?.r;
        }
        const live = deps.entries(ranges);
        stream.send(frame({ same: false, n: live.length } satisfies Header));
        if (deps.version === 1) for (const e of live) await send(e.wire);
        else {
          let pack: string[] = [];
          let bytes = 0;
          for (const e of live) {
            if (pack.length > 0 && bytes + e.wire.length > PACK_BYTES) {
              await send(pack);
              pack = [];
              bytes = 0;
            }
            pack.push(e.wire);
            bytes += e.wire.length + 4;
          }
          if (pack.length > 0) await send(pack);
        }
        deps.onServed(peer, live.length);
      }
    }
    await stream.close();
  } catch (e) {
    stream.abort(e as Error);
  } finally {
    clearTimeout(timer);
  }
}

export interface SyncClientDeps {
  cluster: string;
  digest: string;
  /** This node's range digests (sent on v2 when the peer's set differs). */
  ranges(): string[];
  maxFacts: number;
  maxFrameBytes: number;
  /** Each received envelope, in order; the caller validates it like gossip. */
  onWire(wire: string): Promise<void>;
}

/** Asks `peer` for what it has that differs; returns how many envelopes came (0 when the sets match). */
export async function requestSync(node: Libp2p, peer: PeerIdOf, deps: SyncClientDeps): Promise<number> {
  // multistream-select picks the first the peer speaks: v2, or v1 on a node not yet upgraded.
  const stream = await node.dialProtocol(peer, [SYNC_PROTOCOL, SYNC_PROTOCOL_V1], { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const v2 = stream.protocol === SYNC_PROTOCOL;
  const timer = setTimeout(() => stream.abort(new Error("sync timed out")), TIMEOUT_MS);
  let n = 0;
  try {
    stream.send(frame({ v: v2 ? 2 : 1, c: deps.cluster, d: deps.digest } satisfies Request));
    let header: Header | undefined;
    let asked = false;
    for await (const raw of lp.decode(stream, { maxDataLength: v2 ? FRAME_MAX_V2 : deps.maxFrameBytes })) {
      if (!header) {
        const h = JSON.parse(text(raw)) as Header;
        if (!h || typeof h.same !== "boolean" || !Number.isInteger(h.n) || h.n < 0) throw new Error("bad sync header");
        if (v2 && h.ranges === true && !h.same) {
          // Once per exchange: a server asking again is broken or hostile.
          if (asked) throw new Error("bad sync header");
          asked = true;
          stream.send(frame({ r: deps.ranges() }));
          continue;
        }
        if (h.same || h.n === 0) break;
        header = h;
        continue;
      }
      const wires: unknown = v2 ? JSON.parse(text(raw)) : [text(raw)];
      if (!Array.isArray(wires)) throw new Error("bad sync frame");
      for (const w of wires) {
        if (++n > Math.min(header.n, deps.maxFacts)) break;
        // Each envelope is judged like gossip; one that is not even a string is malformed there.
        await deps.onWire(typeof w === "string" ? w : "");
      }
      if (n >= Math.min(header.n, deps.maxFacts)) break;
    }
    await stream.close();
    return n;
  } catch (e) {
    stream.abort(e as Error);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
