// bench/mesh/model: what a large federation costs each node, from a model of the mesh as shipped:
// the [mesh] defaults of packages/config (gossip_d, gossip_heartbeat_ms, sync_interval_s,
// ping_interval_s) turned into gossipsub parameters by services/meshd/src/net/gossip-params.ts
// (the same code meshd runs), floodPublish on, maxConnections 128, one liveness ping per
// connection and end per ping interval, no yamux keep-alive. bench/mesh/run.ts measures real nodes up to 25; this simulates 100 and
// 1 000 with an event queue: a random connection graph (each node dials `dial` peers), a mesh of
// degree D grafted inside it, per-link one-way latency uniform in [lat_min, lat_max] ms, and a
// per-message verification cost at each receiver. It counts every copy sent (flood publish, mesh
// forwards, duplicates IDONTWANT did not stop in time), the IHAVE gossip of each heartbeat and the
// idle control traffic, in bytes on the wire (message + gossipsub/yamux/noise framing).
// usage: bun bench/mesh/model.ts [sizes=100,1000] [publishes=300] [dial=8] [lat_min=10] [lat_max=60] [verify_ms=0.3]
import { Value } from "@sinclair/typebox/value";
import { ConfigSchema } from "../../packages/config/src/schema.ts";
import { gossipParams } from "../../services/meshd/src/net/gossip-params.ts";
import { seal } from "./model-wire.ts";

const sizes = (process.argv[2] ?? "100,1000").split(",").map(Number);
const PUBLISHES = Number(process.argv[3] ?? 300);
const DIAL = Number(process.argv[4] ?? 8);
const LAT_MIN = Number(process.argv[5] ?? 10);
const LAT_MAX = Number(process.argv[6] ?? 60);
const VERIFY_MS = Number(process.argv[7] ?? 0.3);
/** The shipped [mesh] defaults. */
const MESH = Value.Default(ConfigSchema.properties.mesh, {}) as ReturnType<typeof Value.Create<typeof ConfigSchema.properties.mesh>>;
const GP = gossipParams(MESH.gossip_d, MESH.gossip_heartbeat_ms);
const G = { D: GP.D, Dhi: GP.Dhi, Dlazy: GP.Dlazy, gossipFactor: GP.gossipFactor, historyGossip: GP.mcacheGossip, heartbeatS: GP.heartbeatInterval / 1000, idontwantMin: GP.idontwantMinDataSize, maxConnections: 128 };
const SYNC_INTERVAL_S = MESH.sync_interval_s;
const PING_S = MESH.ping_interval_s;
const RATES = [1, 10, 100]; // bans per second shared by the whole federation

const wire = seal();
let seed = 17;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] ?? NaN;

/** A binary heap of [time, seq, payload]. */
class Queue<T> {
  private h: [number, number, T][] = [];
  private n = 0;
  push(t: number, v: T) {
    const h = this.h;
    h.push([t, this.n++, v]);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p]![0] < h[i]![0] || (h[p]![0] === h[i]![0] && h[p]![1] < h[i]![1])) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): [number, T] | undefined {
    const h = this.h;
    if (!h.length) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        const less = (a: number, b: number) => h[a]![0] < h[b]![0] || (h[a]![0] === h[b]![0] && h[a]![1] < h[b]![1]);
        if (l < h.length && less(l, m)) m = l;
        if (r < h.length && less(r, m)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return [top[0], top[2]];
  }
}

function simulate(n: number) {
  const conn = Array.from({ length: n }, () => new Set<number>());
  for (let u = 0; u < n; u++)
    for (let tries = 0; tries < DIAL * 4 && [...conn[u]!].length < DIAL; tries++) {
      const v = Math.floor(rnd() * n);
      if (v !== u && conn[v]!.size < G.maxConnections && conn[u]!.size < G.maxConnections) (conn[u]!.add(v), conn[v]!.add(u));
    }
  const lat = new Map<number, number>();
  const edge = (a: number, b: number) => (a < b ? a * n + b : b * n + a);
  const latency = (a: number, b: number) => {
    const k = edge(a, b);
    let l = lat.get(k);
    if (l === undefined) lat.set(k, (l = LAT_MIN + rnd() * (LAT_MAX - LAT_MIN)));
    return l;
  };
  // Mesh: every node grafts random connected peers until it has D, a peer accepting up to Dhi.
  const mesh = Array.from({ length: n }, () => new Set<number>());
  for (let round = 0; round < 3; round++)
    for (let u = 0; u < n; u++) {
      const cands = [...conn[u]!].filter((v) => !mesh[u]!.has(v) && mesh[v]!.size < G.Dhi);
      while (mesh[u]!.size < G.D && cands.length) {
        const v = cands.splice(Math.floor(rnd() * cands.length), 1)[0]!;
        mesh[u]!.add(v);
        mesh[v]!.add(u);
      }
    }
  const bytesPerPublish = new Float64Array(n); // tx + rx per node, summed over publishes
  const firstAt: number[] = [];
  const lastAt: number[] = [];
  let copies = 0;
  let idontwant = 0;
  const size = wire.message;
  for (let p = 0; p < PUBLISHES; p++) {
    const origin = Math.floor(rnd() * n);
    const got = new Float64Array(n).fill(Infinity); // first receipt (after verification)
    const dontWant = new Map<number, number>(); // edge (to*n+from) → when `to`'s IDONTWANT reached `from`
    const ev = new Queue<{ to: number; from: number }>();
    const send = (from: number, to: number, t: number) => {
      const dw = dontWant.get(to * n + from);
      if (dw !== undefined && dw <= t) return;
      bytesPerPublish[from]! += size;
      bytesPerPublish[to]! += size;
      copies++;
      ev.push(t + latency(from, to), { to, from });
    };
    got[origin] = 0;
    for (const v of conn[origin]!) send(origin, v, 0); // floodPublish: every connected topic peer
    let busy = new Float64Array(n); // each receiver verifies one message at a time
    for (let e = ev.pop(); e; e = ev.pop()) {
      const [t, { to, from }] = e;
      if (got[to]! !== Infinity || to === origin) continue; // a duplicate: bytes already counted
      const done = Math.max(t, busy[to]!) + VERIFY_MS;
      busy[to] = done;
      got[to] = done;
      if (size > G.idontwantMin)
        for (const v of mesh[to]!) {
          if (v === from) continue;
          dontWant.set(v * n + to, t + latency(to, v));
          bytesPerPublish[to]! += wire.idontwant;
          bytesPerPublish[v]! += wire.idontwant;
          idontwant++;
        }
      for (const v of mesh[to]!) if (v !== from && v !== origin) send(to, v, done);
    }
    const recv = [...got].filter((_, i) => i !== origin);
    firstAt.push(...recv);
    lastAt.push(Math.max(...recv));
    busy = new Float64Array(0);
  }
  // Gossip: each heartbeat a node sends IHAVE with the ids of the last mcacheGossip heartbeats to
  // max(Dlazy, gossipFactor × non-mesh peers) non-mesh peers (only when there are ids).
  const gossipPeers = conn.map((c, u) => Math.min(c.size - mesh[u]!.size, Math.max(G.Dlazy, Math.ceil(G.gossipFactor * (c.size - mesh[u]!.size)))));
  const perNode = (rate: number) =>
    conn.map((c, u) => {
      const data = (bytesPerPublish[u]! / PUBLISHES) * rate; // each ban's copies, on average over origins
      const ids = rate * G.heartbeatS * G.historyGossip;
      const ihave = (2 * gossipPeers[u]! * (wire.ihaveFrame + ids * wire.msgId)) / G.heartbeatS; // sent and, symmetrically, received
      return data + ihave + idle(c.size);
    });
  // Idle: one anti-entropy exchange asked and (on average) one served per interval; each
  // connection pinged from both ends once per ping interval. Nothing else: no IHAVE without ids.
  const idle = (peers: number) => (2 * wire.sync) / SYNC_INTERVAL_S + (peers * 2 * wire.ping) / PING_S;
  const unreached = firstAt.filter((x) => x === Infinity).length;
  return {
    n,
    degree: conn.reduce((a, c) => a + c.size, 0) / n,
    meshDegree: mesh.reduce((a, m) => a + m.size, 0) / n,
    p50: q(firstAt, 0.5),
    p99: q(firstAt, 0.99),
    lastP99: q(lastAt, 0.99),
    unreached,
    copiesPerNode: copies / PUBLISHES / n,
    idontwantPerNode: idontwant / PUBLISHES / n,
    traffic: RATES.map((r) => ({ rate: r, xs: perNode(r) })),
    idleMean: conn.reduce((a, c) => a + idle(c.size), 0) / n,
    idleMax: Math.max(...conn.map((c) => idle(c.size))),
  };
}

const kb = (x: number) => `${(x / 1000).toFixed(2)} kB/s`;
console.log(`bench/mesh/model — as shipped: D=${G.D} Dlo=${GP.Dlo} Dhi=${G.Dhi} Dlazy=${G.Dlazy}, heartbeat ${GP.heartbeatInterval} ms, anti-entropy every ${SYNC_INTERVAL_S} s, ping every ${PING_S} s`);
console.log(`fact ${wire.fact} B of JSON, ${wire.message} B per copy on the wire; links ${LAT_MIN}–${LAT_MAX} ms one-way; ${VERIFY_MS} ms to verify; each node dials ${DIAL}`);
for (const n of sizes) {
  const r = simulate(n);
  console.log(`\n== ${n} nodes: ${r.degree.toFixed(1)} connections and ${r.meshDegree.toFixed(1)} mesh peers per node on average`);
  console.log(`  propagation (${PUBLISHES} bans × ${n - 1} receivers): p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms; last node reached p99 ${r.lastP99.toFixed(1)} ms; never reached ${r.unreached}`);
  console.log(`  copies of one ban per node ${r.copiesPerNode.toFixed(2)} (1 is needed; IDONTWANT sent per node ${r.idontwantPerNode.toFixed(2)})`);
  for (const t of r.traffic) console.log(`  ${String(t.rate).padStart(3)} bans/s federation-wide: per node mean ${kb(t.xs.reduce((a, b) => a + b, 0) / n)}, max ${kb(Math.max(...t.xs))} (rx+tx)`);
  console.log(`  idle (anti-entropy digest every ${SYNC_INTERVAL_S} s, liveness ping every ${PING_S} s per connection and end): ${kb(r.idleMean)} per node mean, ${kb(r.idleMax)} max`);
}
