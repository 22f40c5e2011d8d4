// bench/footprint: idle RSS and CPU of a whole node (every process `honeymesh up` starts).
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";
import { freePort, ROOT, TestNode } from "../../test/support/bus-node.ts";

const node = await new TestNode().init();
const env = node.env({ HONEYMESH_API_LISTEN: `127.0.0.1:${freePort()}`, HONEYMESH_MESH_LISTEN: `127.0.0.1:${freePort()}`, HONEYMESH_NODE_HEALTH_INTERVAL_S: "5",
  // Test mode on loopback with private pins: a bench never touches the uplink or the real pins.
  HONEYMESH_ENFORCER_INTERFACES: "lo", HONEYMESH_ENFORCER_PIN_ROOT: `/sys/fs/bpf/hm-test-${node.nodeId}` });
const cleanup = () => rmSync(`/sys/fs/bpf/hm-test-${node.nodeId}`, { recursive: true, force: true });
const cli = (...args: string[]) => Bun.spawnSync([process.execPath, join(ROOT, "cli/src/main.ts"), ...args], { env, cwd: ROOT });
const up = cli("up");
if (up.exitCode !== 0) {
  cli("down");
  await node.stop();
  cleanup();
  throw new Error(`honeymesh up failed: ${up.stdout}${up.stderr}`);
}
// Whatever happens from here on, the node goes down and its pins go (it attaches to lo).
try {
  const status = JSON.parse(cli("status", "--json").stdout.toString()) as { services: { name: string; pid: number }[] };
  const pids = status.services.map((s) => ({ name: s.name, pid: s.pid }));

  const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  const ticks = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(f[11]) + Number(f[12]);
  };
  const HZ = 100;
  /** Private (dirty + clean) and shared bytes, and PSS, from /proc/<pid>/smaps_rollup. */
  const rollup = (pid: number) => {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(t)?.[1] ?? 0) * 1024;
    return { priv: kb("Private_Dirty") + kb("Private_Clean"), shared: kb("Shared_Dirty") + kb("Shared_Clean"), pss: kb("Pss") };
  };
  await Bun.sleep(5_000); // let start-up settle
  const seconds = 20;
  const t0 = pids.map((p) => ticks(p.pid));
  await Bun.sleep(seconds * 1000);
  const rows = pids.map((p, i) => ({ ...p, rss: rss(p.pid), ...rollup(p.pid), cpu: (ticks(p.pid) - t0[i]!) / HZ / seconds }));
  const mb = (b: number) => (b / 1048576).toFixed(1).padStart(7);
  console.log(`bench/footprint — idle node, ${rows.length} processes, health every 5 s`);
  console.log(`load averages ${loadavg().map((x) => x.toFixed(2)).join(" ")} (${cpus().length} CPUs, shared with other work)`);
  console.log("service      RSS MB  private  shared   CPU % of one core");
  for (const r of rows) console.log(`${r.name.padEnd(10)} ${mb(r.rss)} ${mb(r.priv)} ${mb(r.shared)}   ${(r.cpu * 100).toFixed(2)}`);
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0);
  const totalRss = sum((r) => r.rss);
  const totalCpu = sum((r) => r.cpu);
  // Shared pages are almost all the bun executable's text, mapped by every process once: counted once,
  // the node's memory is the private pages plus the largest shared set (an upper bound).
  const node1 = sum((r) => r.priv) + Math.max(...rows.map((r) => r.shared));
  console.log(`TOTAL      ${mb(totalRss)} ${mb(sum((r) => r.priv))} ${mb(Math.max(...rows.map((r) => r.shared)))}   ${(totalCpu * 100).toFixed(2)}`);
  console.log(`sum of RSS ${(totalRss / 1048576).toFixed(1)} MB (goal ≤ 250 MB: ${totalRss <= 250 * 1048576 ? "MET" : "NOT MET"}; it counts the shared bun executable once per process)`);
  console.log(`node memory, shared pages once: ≤ ${(node1 / 1048576).toFixed(1)} MB; sum of PSS ${(sum((r) => r.pss) / 1048576).toFixed(1)} MB`);
  console.log(`CPU ${(totalCpu * 100).toFixed(2)} % of one core (goal ≤ 2 %: ${totalCpu <= 0.02 ? "MET" : "NOT MET"})`);
} finally {
  cli("down");
  await node.stop();
  cleanup();
}
