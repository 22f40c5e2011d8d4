// bench/footprint: idle RSS and CPU of a whole node (six processes) started by `honeymesh up`.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
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
const status = JSON.parse(cli("status", "--json").stdout.toString()) as { services: { name: string; pid: number }[] };
const pids = status.services.map((s) => ({ name: s.name, pid: s.pid }));

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
const ticks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(f[11]) + Number(f[12]);
};
const HZ = 100;
await Bun.sleep(5_000); // let start-up settle
const seconds = 20;
const t0 = pids.map((p) => ticks(p.pid));
await Bun.sleep(seconds * 1000);
const rows = pids.map((p, i) => ({ ...p, rss: rss(p.pid), cpu: (ticks(p.pid) - t0[i]!) / HZ / seconds }));
console.log("bench/footprint — idle node, six processes, health every 5 s");
console.log("service     RSS MB   CPU % of one core");
for (const r of rows) console.log(`${r.name.padEnd(10)}  ${(r.rss / 1048576).toFixed(1).padStart(6)}   ${(r.cpu * 100).toFixed(2)}`);
const totalRss = rows.reduce((a, r) => a + r.rss, 0);
const totalCpu = rows.reduce((a, r) => a + r.cpu, 0);
console.log(`TOTAL       ${(totalRss / 1048576).toFixed(1).padStart(6)}   ${(totalCpu * 100).toFixed(2)}   (goals: ≤ 300 MB, < 2 %)`);
cli("down");
await node.stop();
cleanup();
