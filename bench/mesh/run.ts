// bench/mesh: time from a ban on one node until it is in force on every other node, and mesh
// traffic per node, for meshes of 3, 10 and 25 nodes in network namespaces on one bridge.
//   3 nodes: full nodes (busd + enforcerd with XDP native + meshd): "in force" = enforcerd's
//            ban change, published after the kernel map write.
//   10, 25:  busd + meshd only: "in force" = meshd's decision on the bus (the decision store
//            input; enforcerd's own cost is measured by bench/enforcerd).
// Traffic is read from each node's veth counters (the bus is on loopback: only mesh traffic
// crosses the veth). Usage: bun bench/mesh/run.ts [sizes=3,10,25] [samples=40] (root).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKey } from "@libp2p/pnet";
import { kernelSkipReason, makePinRoot, removePinRoot } from "../../test/kernel/harness.ts";
import { waitFor } from "../../test/support/bus-node.ts";
import { createBridge, type Bridge } from "../../test/support/bridge.ts";
import { MeshTestNode } from "../../test/mesh/support/mesh-node.ts";
import type { BusLine } from "../../test/mesh/support/mesh-node.ts";

const sizes = (process.argv[2] ?? "3,10,25").split(",").map(Number);
const samples = Number(process.argv[3] ?? 40);
const kernel = kernelSkipReason() === undefined;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

function bytes(br: Bridge): number[] {
  return br.hosts.map((h) => {
    const r = Bun.spawnSync(["ip", "-n", h.ns, "-s", "-j", "link", "show", h.ifname], { stdout: "pipe" });
    const s = (JSON.parse(r.stdout.toString()) as { stats64: { rx: { bytes: number }; tx: { bytes: number } } }[])[0]!.stats64;
    return s.rx.bytes + s.tx.bytes;
  });
}

async function trafficPerNode(br: Bridge, seconds: number, during?: () => Promise<void>): Promise<number[]> {
  const a = bytes(br);
  const t0 = performance.now();
  await Promise.all([Bun.sleep(seconds * 1000), during?.()]);
  const dt = (performance.now() - t0) / 1000;
  return bytes(br).map((b, i) => (b - a[i]!) / dt);
}

async function run(n: number): Promise<void> {
  const full = n <= 3 && kernel;
  const dir = mkdtempSync(join(tmpdir(), "hm-bench-mesh-"));
  const key = new Uint8Array(95);
  generateKey(key);
  writeFileSync(join(dir, "cluster.key"), key, { mode: 0o600 });
  const br = createBridge(Array.from({ length: n }, (_, i) => `n${i}`));
  const pins: string[] = [];
  const nodes = await Promise.all(br.hosts.map((h) => new MeshTestNode(h).prepare()));
  try {
    const trust = nodes.map((m) => `${m.peerId}=enforce`).join(",");
    for (const [i, node] of nodes.entries()) {
      // A sparse topology: each node dials its two predecessors and node 0.
      const boot = [...new Set([0, i - 1, i - 2].filter((j) => j >= 0 && j !== i))].map((j) => nodes[j]!.addr);
      const env: Record<string, string> = { HONEYMESH_MESH_CLUSTER_KEY_FILE: join(dir, "cluster.key"), HONEYMESH_MESH_BOOTSTRAP: boot.join(","), HONEYMESH_MESH_PEER_TRUST: trust, HONEYMESH_NODE_HEALTH_INTERVAL_S: "2" };
      if (full) {
        const pin = makePinRoot();
        pins.push(pin);
        Object.assign(env, { HONEYMESH_ENFORCER_INTERFACES: node.host.ifname, HONEYMESH_ENFORCER_MODE: "enforce", HONEYMESH_ENFORCER_XDP_MODE: "native", HONEYMESH_ENFORCER_PIN_ROOT: pin });
      }
      await node.start(env);
      if (full) node.spawn("enforcerd");
      node.spawn("meshd");
    }
    await waitFor(() => nodes.every((m) => (m.cluster()?.mesh_subscribers ?? 0) >= Math.min(2, n - 1)), 120_000, "mesh formed");
    await Bun.sleep(5_000); // let first syncs and grafting settle
    const idle = await trafficPerNode(br, 20);

    const origin = nodes[n - 1]!;
    const others = nodes.slice(0, n - 1);
    const inForce = (v: string) => (l: BusLine) =>
      full ? l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === v && l.d.change === "added" : l.topic === "hm/v1/meshd/decision" && l.d.address?.text === v;
    const ban = (v: string) => {
      const at = Date.now();
      if (full) origin.publish("apid", "decision", { id: `bench:${at.toString(36)}:${v.replace(/[^0-9a-f]/g, "")}`, action: "ban", address: { kind: "ip", text: v }, reasons: 2, ttl_s: 3600, origin: origin.nodeId, source: "apid", evidence: [], offence: 1, at });
      else origin.publish("enforcerd", "ban", { change: "added", address: { kind: "ip", text: v }, reasons: 2, expires_at: at + 3_600_000, origin: origin.nodeId, offence: 1, evidence: [], confidence: "verified", at });
    };
    const measure = async (values: string[], from: number[], timeoutMs: number) => {
      const lat: number[] = [];
      let missing = 0;
      for (const v of values) {
        const t0 = origin.find((l) => l.topic === "hm/v1/enforcerd/ban" && l.d.address?.text === v, from[n - 1])?.t;
        for (const [i, m] of others.entries()) {
          try {
            const l = await m.waitLine(inForce(v), timeoutMs, v, from[i]);
            if (t0 !== undefined) lat.push(l.t - t0);
          } catch {
            missing++;
          }
        }
      }
      return { lat, missing };
    };

    // Latency: single bans, 250 ms apart.
    const from = nodes.map((m) => m.lines.length);
    const values: string[] = [];
    for (let i = 0; i < samples; i++) {
      const v = `198.18.${(i >> 8) & 255}.${i & 255}`;
      values.push(v);
      ban(v);
      await Bun.sleep(250);
    }
    const single = await measure(values, from, 10_000);

    // Stream: 100 bans/s for 10 s.
    const from2 = nodes.map((m) => m.lines.length);
    const streamed: string[] = [];
    const stream = await trafficPerNode(br, 10, async () => {
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) {
        const v = `198.19.${(i >> 8) & 255}.${i & 255}`;
        streamed.push(v);
        ban(v);
        const ahead = i * 10 - (performance.now() - t0);
        if (ahead > 0) await Bun.sleep(ahead);
      }
    });
    const under = await measure(streamed, from2, 15_000);
    const kb = (xs: number[]) => `mean ${(xs.reduce((a, b) => a + b, 0) / xs.length / 1000).toFixed(2)} kB/s, max ${(Math.max(...xs) / 1000).toFixed(2)} kB/s`;
    const rss = nodes.map((m) => Number(m.health("meshd")?.rss_bytes ?? 0));
    console.log(`\n== ${n} nodes (${full ? "full nodes, in force = XDP map written by enforcerd" : "busd + meshd, in force = meshd decision on the bus"})`);
    console.log(`  single bans (${values.length} × ${n - 1} receivers): p50 ${pct(single.lat, 50).toFixed(1)} ms  p99 ${pct(single.lat, 99).toFixed(1)} ms  max ${Math.max(...single.lat).toFixed(1)} ms  missing ${single.missing}`);
    console.log(`  100 bans/s stream (1000 × ${n - 1}): p50 ${pct(under.lat, 50).toFixed(1)} ms  p99 ${pct(under.lat, 99).toFixed(1)} ms  missing ${under.missing}`);
    console.log(`  mesh traffic per node (rx+tx on its veth): idle ${kb(idle)}; under 100 bans/s ${kb(stream)}`);
    if (rss.some((r) => r > 0)) console.log(`  meshd RSS: max ${(Math.max(...rss) / 1e6).toFixed(0)} MB`);
  } finally {
    await Promise.all(nodes.map((m) => m.stop()));
    br.destroy();
    for (const p of pins) removePinRoot(p);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.getuid?.() !== 0) {
  console.error("bench/mesh needs root (network namespaces)");
  process.exit(1);
}
for (const n of sizes) await run(n);
process.exit(0);
