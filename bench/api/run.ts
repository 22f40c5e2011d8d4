// bench/api: apid throughput and latency with 100 000 bans in the store.
//   GET /v1/bans (page of 100): closed loop, C concurrent keep-alive clients → req/s; then an open
//   loop at a fixed 1 000 req/s → p50/p99. POST /v1/bans (each a new address; enforcerd confirms)
//   the same way. Goals (issue 11): ≥ 5 000 req/s reads, POST p99 ≤ 10 ms at 1 000 req/s.
// Run: bun bench/api/run.ts [--seconds 5] [--concurrency 32]
import { join } from "node:path";
import { openStore } from "../../packages/db/src/open.ts";
import * as schema from "../../packages/tables/src/enforcerd.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import { ROOT } from "../../test/support/bus-node.ts";
import { ApiNode } from "../../test/apid/harness.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg("seconds", 5);
const CONCURRENCY = arg("concurrency", 32);

const n = await new ApiNode().start({ HONEYMESH_NODE_LOG_LEVEL: "error" });
try {
  const store = openStore({ path: join(n.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") });
  const now = Date.now();
  const rows: BanRow[] = Array.from({ length: 100_000 }, (_, i) => ({ address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, kind: "ip", reasons: 1, expiresAt: now + 86_400_000, createdAt: now, updatedAt: now, origin: "bench", source: "bench", offence: 1, evidence: [{ kind: "other", summary: "bench" }], confidence: "verified" }));
  new BanStore(store).putMany(rows);
  store.close();
  const headers = { authorization: `Bearer ${n.admin}` };
  let seq = 0;
  const nextBan = () => {
    const i = seq++;
    return JSON.stringify({ address: `172.${16 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}`, ttl_s: 3600 });
  };
  // A first page, or the page after a cursor-like start point (keyset pagination), alternately.
  const get = () => fetch(`${n.base}/v1/bans?limit=100${seq++ % 2 ? "&reason=TRAP" : ""}`, { headers });
  const post = () => fetch(`${n.base}/v1/bans`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: nextBan() });

  async function closedLoop(name: string, call: () => Promise<Response>, concurrency: number): Promise<void> {
    let done = 0;
    let errors = 0;
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const r = await call();
          await r.arrayBuffer();
          if (r.status >= 300) errors++;
          done++;
        }
      }),
    );
    console.log(`${name.padEnd(22)} closed loop, ${concurrency} clients: ${Math.round(done / SECONDS)} req/s (${errors} non-2xx)`);
  }

  async function openLoop(name: string, call: () => Promise<Response>, rate: number): Promise<void> {
    const lat: number[] = [];
    let errors = 0;
    const total = rate * SECONDS;
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await Bun.sleep(wait);
      inflight.push(
        (async () => {
          // Latency from the scheduled time: queueing behind a slow request counts (no coordinated omission).
          const r = await call();
          await r.arrayBuffer();
          if (r.status >= 300) errors++;
          lat.push(performance.now() - due);
        })(),
      );
    }
    await Promise.all(inflight);
    lat.sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2);
    console.log(`${name.padEnd(22)} open loop ${rate} req/s: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${lat[lat.length - 1]!.toFixed(2)} ms (${errors} non-2xx)`);
  }

  console.log(`apid bench: 100000 bans in the store, ${SECONDS} s per phase, ${navigator.hardwareConcurrency} CPUs (client and server share them)`);
  for (let i = 0; i < 200; i++) await (await get()).arrayBuffer(); // warm-up
  await closedLoop("GET /v1/bans (100)", get, CONCURRENCY);
  await openLoop("GET /v1/bans (100)", get, 1000);
  await closedLoop("POST /v1/bans", post, CONCURRENCY);
  await openLoop("POST /v1/bans", post, 1000);
} finally {
  await n.stop();
}
