// bench/mesh: time from a ban on one node until it is in force on every other node, and mesh
// traffic per node, for meshes of 3, 10 and 25 nodes in network namespaces on one bridge.
//   3 nodes: full nodes (busd + enforcerd with XDP native + meshd): "in force" = enforcerd's
//            ban change, published after the kernel map write.
//   10, 25:  busd + meshd only: "in force" = meshd's decision on the bus (the decision store
//            input; enforcerd's own cost is measured by bench/enforcerd).
// Traffic is read from each node's veth counters (the bus is on loopback: only mesh traffic
// crosses the veth). Streams: 100 bans/s from one node, and at 10+ nodes 1 000 bans/s from ten
// origins (100/s each), 10 s each; latency from the origin's ban to "in force" on every other
// node, missing = not in force 20 s after the stream; meshd CPU per node from /proc.
// Idle traffic is also broken down per libp2p protocol (meshd writes its counts on SIGUSR2).
// Usage: bun bench/mesh/run.ts [sizes=3,10,25] [samples=40] [cpu-profile-dir] [--only idle|stream] (root).
//   --only idle: form the mesh and measure idle traffic only; --only stream: the streams only.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Subprocess } from "bun";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKey } from "@libp2p/pnet";
import { kernelSkipReason, makePinRoot, removePinRoot } from "../../test/kernel/harness.ts";
import { waitFor } from "../../test/support/bus-node.ts";
import { createBridge, type Bridge } from "../../test/support/bridge.ts";
import { MeshTestNode } from "../../test/mesh/support/mesh-node.ts";
import type { BusLine } from "../../test/mesh/support/mesh-node.ts";
import { TRAFFIC_FILE, type TrafficFile } from "../../services/meshd/src/net/traffic-file.ts";
import { Value } from "@sinclair/typebox/value";
import { ConfigSchema } from "../../packages/config/src/schema.ts";

/** The shipped [mesh] defaults (the bench runs meshd with them). */
const MESH_DEFAULTS = Value.Default(ConfigSchema.properties.mesh, {}) as { ping_interval_s: number };

const onlyAt = process.argv.indexOf("--only");
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
if (only !== undefined && only !== "idle" && only !== "stream") throw new Error("--only idle|stream");
const args = process.argv.slice(2).filter((_, i) => onlyAt < 0 || (i !== onlyAt - 2 && i !== onlyAt - 1));
const sizes = (args[0] ?? "3,10,25").split(",").map(Number);
const samples = Number(args[1] ?? 40);
/** A directory: meshd of nodes 0 and n-1 write CPU profiles (markdown) there on exit. */
const profDir = args[2];
const kernel = kernelSkipReason() === undefined;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

function veth(br: Bridge): { bytes: number; packets: number }[] {
  return br.hosts.map((h) => {
    const r = Bun.spawnSync(["ip", "-n", h.ns, "-s", "-j", "link", "show", h.ifname], { stdout: "pipe" });
    const s = (JSON.parse(r.stdout.toString()) as { stats64: { rx: { bytes: number; packets: number }; tx: { bytes: number; packets: number } } }[])[0]!.stats64;
    return { bytes: s.rx.bytes + s.tx.bytes, packets: s.rx.packets + s.tx.packets };
  });
}
const bytes = (br: Bridge) => veth(br).map((v) => v.bytes);

/** Each node's meshd per-protocol byte counts (tx+rx) and streams opened, since start: SIGUSR2, then its traffic.json. */
async function protocolBytes(nodes: MeshTestNode[], meshd: Subprocess[]): Promise<Map<string, { bytes: number; opened: number }>[]> {
  const file = (m: MeshTestNode) => join(m.node.stateDir, "meshd", TRAFFIC_FILE);
  const before = nodes.map((m) => (existsSync(file(m)) ? statSync(file(m)).mtimeMs : 0));
  for (const p of meshd) p.kill("SIGUSR2");
  await waitFor(() => nodes.every((m, i) => existsSync(file(m)) && statSync(file(m)).mtimeMs > before[i]!), 10_000, "traffic.json");
  return nodes.map((m) => {
    const out = new Map<string, { bytes: number; opened: number }>();
    const add = (k: string, t: { tx: { bytes: number }; rx: { bytes: number }; opened: number }) => {
      const o = out.get(k) ?? { bytes: 0, opened: 0 };
      out.set(k, { bytes: o.bytes + t.tx.bytes + t.rx.bytes, opened: o.opened + t.opened });
    };
    const f = JSON.parse(readFileSync(file(m), "utf8")) as TrafficFile;
    for (const c of Object.values(f.clusters)) {
      add(ALL, c.connections);
      for (const [p, t] of Object.entries(c.protocols)) add(p, t);
    }
    return out;
  });
}
const ALL = "tcp payload (all)";

/** Idle traffic of one node per protocol: bytes/s and streams/s, with TCP/IP headers and framing as their own lines. */
function breakdown(a: Map<string, { bytes: number; opened: number }>, b: Map<string, { bytes: number; opened: number }>, va: { bytes: number; packets: number }, vb: { bytes: number; packets: number }, dt: number, peers: number, pingS: number): string[] {
  const d = (k: string) => ((b.get(k)?.bytes ?? 0) - (a.get(k)?.bytes ?? 0)) / dt;
  const opened = (k: string) => ((b.get(k)?.opened ?? 0) - (a.get(k)?.opened ?? 0)) / dt;
  const all = d(ALL);
  const rows: [string, number][] = [...b.keys()].filter((k) => k !== ALL).map((k) => [`${k} payload (${opened(k).toFixed(2)} streams/s)`, d(k)]);
  const streams = [...b.keys()].filter((k) => k !== ALL).reduce((x, k) => x + d(k), 0);
  rows.push([`yamux + Noise framing, multistream-select, and the liveness pings libp2p's connection monitor opens (~${((2 * peers) / pingS).toFixed(2)}/s: ${peers} peers, both ends, every ${pingS} s; refused by design, so uncounted above)`, all - streams]);
  rows.push([`TCP/IP/Ethernet headers and ACKs (${((vb.packets - va.packets) / dt).toFixed(1)} packets/s)`, (vb.bytes - va.bytes) / dt - all]);
  return rows.filter(([, v]) => Math.abs(v) >= 0.5).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${(v / 1000).toFixed(3).padStart(8)} kB/s  ${k}`);
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
  const meshd: Subprocess[] = [];
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
      const prof = profDir && (i === 0 || i === n - 1) ? ["--cpu-prof-md", `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=meshd-${n}-${i}.md`] : [];
      meshd.push(node.spawn("meshd", {}, prof));
    }
    await waitFor(() => nodes.every((m) => (m.cluster()?.mesh_subscribers ?? 0) >= Math.min(2, n - 1)), 120_000, "mesh formed");
    await Bun.sleep(5_000); // let first syncs and grafting settle
    const pa = await protocolBytes(nodes, meshd);
    const va = veth(br);
    const ti = performance.now();
    // 60 s: a whole liveness-ping period ([mesh] ping_interval_s) and six anti-entropy rounds, so
    // the figure is an average, not a phase of those timers.
    const idle = await trafficPerNode(br, only === "stream" ? 1 : 60);
    const idleProtocols = breakdown(pa[0]!, (await protocolBytes(nodes, meshd))[0]!, va[0]!, veth(br)[0]!, (performance.now() - ti) / 1000, n - 1, MESH_DEFAULTS.ping_interval_s);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const kb = (xs: number[]) => `mean ${(mean(xs) / 1000).toFixed(2)} kB/s, max ${(Math.max(...xs) / 1000).toFixed(2)} kB/s`;
    const goal = (ok: boolean) => (ok ? "MET" : "NOT MET");
    const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    const printIdle = () => {
      console.log(`  mesh traffic per node (rx+tx on its veth): idle ${kb(idle)}   goal ≤ 5 kB/s: ${goal(Math.max(...idle) <= 5000)}`);
      console.log(`    idle at node 0 (connected to every node) by protocol, rx+tx:`);
      for (const r of idleProtocols) console.log(`      ${r}`);
    };
    if (only === "idle") {
      console.log(`\n== ${n} nodes, idle only; load average now ${load()}`);
      printIdle();
      return;
    }

    const last = nodes[n - 1]!;
    const inForce = (l: BusLine) => (full ? l.topic === "hm/v1/enforcerd/ban" && l.d.change === "added" : l.topic === "hm/v1/meshd/decision" && l.d.action === "ban");
    const ban = (origin: MeshTestNode, v: string) => {
      const at = Date.now();
      if (full) origin.publish("apid", "decision", { id: `bench:${at.toString(36)}:${v.replace(/[^0-9a-f]/g, "")}`, action: "ban", address: { kind: "ip", text: v }, reasons: 2, ttl_s: 3600, origin: origin.nodeId, source: "apid", evidence: [], offence: 1, at });
      else origin.publish("enforcerd", "ban", { change: "added", address: { kind: "ip", text: v }, reasons: 2, expires_at: at + 3_600_000, origin: origin.nodeId, offence: 1, evidence: [], confidence: "verified", at });
    };
    /**
     * Each value's latency on every node but its origin: from the origin's own ban change to the
     * receiver's "in force" line. Lines are indexed once per node (value → first time), so
     * 10 000 values × 24 receivers cost a scan, not a search each.
     */
    const measure = async (sent: Map<string, MeshTestNode>, from: number[], settleMs: number) => {
      const index = (m: MeshTestNode, i: number, pred: (l: BusLine) => boolean) => {
        const map = new Map<string, number>();
        for (let k = from[i]!; k < m.lines.length; k++) {
          const l = m.lines[k]!;
          const v = l.d.address?.text;
          if (v !== undefined && sent.has(v) && pred(l) && !map.has(v)) map.set(v, l.t);
        }
        return map;
      };
      const expected = sent.size * (n - 1);
      const deadline = performance.now() + settleMs;
      let seen: Map<string, number>[] = [];
      for (;;) {
        seen = nodes.map((m, i) => index(m, i, inForce));
        let got = 0;
        for (const [v, o] of sent) for (const [i, m] of nodes.entries()) if (m !== o && seen[i]!.has(v)) got++;
        if (got >= expected || performance.now() > deadline) break;
        await Bun.sleep(500);
      }
      const t0 = nodes.map((m, i) => index(m, i, (l) => l.topic === "hm/v1/enforcerd/ban" && l.d.change === "added"));
      const lat: number[] = [];
      let missing = 0;
      for (const [v, o] of sent) {
        const start = t0[nodes.indexOf(o)]!.get(v);
        for (const [i, m] of nodes.entries()) {
          if (m === o) continue;
          const t = seen[i]!.get(v);
          if (t === undefined) missing++;
          else if (start !== undefined) lat.push(t - start);
        }
      }
      return { lat, missing, expected };
    };
    // CPU seconds used by every node's meshd (utime + stime from /proc, 100 ticks a second).
    const cpu = () =>
      meshd.reduce((sum, p) => {
        try {
          const f = readFileSync(`/proc/${p.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
          return sum + (Number(f[11]) + Number(f[12])) / 100;
        } catch {
          return sum;
        }
      }, 0);
    // Why facts did not become decisions: meshd's counters summed over nodes (from the latest metrics).
    const counters = () => {
      const t: Record<string, number> = {};
      const add = (k: string, v: number) => v && (t[k] = (t[k] ?? 0) + v);
      for (const m of nodes) {
        const c = m.cluster();
        if (!c) continue;
        for (const [k, v] of Object.entries(c.ignored)) add(`ignored.${k}`, v);
        for (const [k, v] of Object.entries(c.rejected)) add(`rejected.${k}`, v);
        add("sync.received", c.sync.received);
        add("sync.requested", c.sync.requested);
        add("sync.served", c.sync.served);
        add("emit_failed", c.outcomes.emit_failed);
        for (const [k, v] of Object.entries(m.meshd()?.bus.rejected ?? {})) add(`bus.rejected.${k}`, v);
      }
      return t;
    };
    const delta = (a: Record<string, number>, b: Record<string, number>) =>
      Object.entries(b)
        .map(([k, v]) => [k, v - (a[k] ?? 0)] as const)
        .filter(([k, d]) => d > 0 && k !== "ignored.stale" && k !== "ignored.self")
        .map(([k, d]) => `${k} ${d}`)
        .join(", ") || "none";
    const stream = async (rate: number, origins: MeshTestNode[], seconds: number, prefix: number) => {
      const from = nodes.map((m) => m.lines.length);
      const k0 = counters();
      const sent = new Map<string, MeshTestNode>();
      const c0 = cpu();
      const traffic = await trafficPerNode(br, seconds, async () => {
        const t0 = performance.now();
        for (let i = 0; i < rate * seconds; i++) {
          const v = `198.${prefix + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
          const o = origins[i % origins.length]!;
          sent.set(v, o);
          ban(o, v);
          const ahead = (i * 1000) / rate - (performance.now() - t0);
          if (ahead > 0) await Bun.sleep(ahead);
        }
      });
      // CPU of the stream's own seconds (its backlog, if any, is worked off later, uncounted).
      const cpuPerNode = (cpu() - c0) / n / seconds;
      const r = await measure(sent, from, 20_000);
      await Bun.sleep(2_500); // one more metrics report
      return { ...r, traffic, cpuPerNode, counters: delta(k0, counters()) };
    };

    // Latency: single bans from the last node, 250 ms apart.
    const from = nodes.map((m) => m.lines.length);
    const singles = new Map<string, MeshTestNode>();
    for (let i = 0; i < (only === "stream" ? 0 : samples); i++) {
      const v = `198.18.${(i >> 8) & 255}.${i & 255}`;
      singles.set(v, last);
      ban(last, v);
      await Bun.sleep(250);
    }
    const single = await measure(singles, from, only === "stream" ? 0 : 10_000);
    // 100 bans/s from the last node for 10 s (as before).
    const s100 = await stream(100, [last], 10, 17);
    // 1 000 bans/s federation-wide for 10 s, from the last ten nodes (100/s each: the default
    // per-origin limit, [mesh] rate_per_s = 200, holds; one origin at 1 000/s would need it raised).
    const s1000 = n >= 10 ? await stream(1000, nodes.slice(-10), 10, 19) : undefined;

    const line = (r: { lat: number[]; missing: number }) => `p50 ${pct(r.lat, 50).toFixed(1)} ms  p99 ${pct(r.lat, 99).toFixed(1)} ms  max ${Math.max(...r.lat).toFixed(1)} ms  missing ${r.missing}`;
    const rss = nodes.map((m) => Number(m.health("meshd")?.rss_bytes ?? 0));
    console.log(`\n== ${n} nodes (${full ? "full nodes, in force = XDP map written by enforcerd" : "busd + meshd, in force = meshd decision on the bus"}); load average now ${load()}`);
    if (singles.size > 0) console.log(`  single bans (${singles.size} × ${n - 1} receivers): ${line(single)}${n === 25 ? `   goal p99 ≤ 500 ms: ${goal(pct(single.lat, 99) <= 500 && single.missing === 0)}` : ""}`);
    console.log(`  100 bans/s stream, 1 origin (${s100.expected}): ${line(s100)}; meshd CPU ${s100.cpuPerNode.toFixed(3)} s/s per node`);
    console.log(`    refused or dropped (all nodes): ${s100.counters}`);
    if (s1000) {
      const ok = pct(s1000.lat, 99) <= 1000 && s1000.missing === 0;
      console.log(`  1000 bans/s stream, 10 origins × 100/s (${s1000.expected}): ${line(s1000)}; meshd CPU ${s1000.cpuPerNode.toFixed(3)} s/s per node${n === 25 ? `   goal p99 ≤ 1 s, none missing: ${goal(ok)}` : ""}`);
      console.log(`    refused or dropped (all nodes): ${s1000.counters}`);
    }
    if (only !== "stream") printIdle();
    console.log(`    under 100 bans/s ${kb(s100.traffic)}${s1000 ? `; under 1000 bans/s ${kb(s1000.traffic)}` : ""}`);
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
