import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { isValid } from "../packages/schema/src/check.ts";
import { Metrics } from "../packages/schema/src/metrics.ts";
import { freePort, ROOT, TestNode, waitFor } from "./support/bus-node.ts";

interface View { running: boolean; services: { name: string; pid: number | null; healthy: boolean; restarts: number; degraded: { code: string }[]; metrics: Metrics | null }[] }

const node = new TestNode();
const env = () => node.env({ HONEYMESH_API_LISTEN: `127.0.0.1:${freePort()}`, HONEYMESH_MESH_LISTEN: `127.0.0.1:${freePort()}`, HONEYMESH_ENFORCER_PIN_ROOT: `/sys/fs/bpf/hm-test-${node.nodeId}`, HONEYMESH_ENFORCER_INTERFACES: "lo" });
const cli = (...args: string[]) => Bun.spawnSync([process.execPath, join(ROOT, "cli/src/main.ts"), ...args], { env: env(), cwd: ROOT });
const view = (): View => JSON.parse(cli("status", "--json").stdout.toString()) as View;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
let pids: number[] = [];

afterAll(async () => {
  cli("down");
  for (const p of pids) if (alive(p)) process.kill(p, "SIGKILL");
  await node.stop();
  rmSync(`/sys/fs/bpf/hm-test-${node.nodeId}`, { recursive: true, force: true });
});

test("up brings all seven processes up and healthy within 10 s", async () => {
  await node.init();
  const t0 = Date.now();
  const up = cli("up");
  expect(up.exitCode).toBe(0);
  const v = view();
  expect(v.running).toBe(true);
  expect(v.services.map((s) => s.name)).toEqual(["busd", "trapd", "scand", "enforcerd", "meshd", "apid", "logd"]);
  expect(v.services.every((s) => s.healthy)).toBe(true);
  expect(Date.now() - t0).toBeLessThan(10_000 + 3_000); // + bundling and CLI start
  pids = v.services.map((s) => s.pid!);
  expect(new Set(pids).size).toBe(7);
  const table = cli("status").stdout.toString();
  expect(table).toContain("healthy");
  expect(cli("up").exitCode).toBe(1); // already running
}, 30_000);

test("status shows every service's typed metrics, as the supervisor heard them on the bus", async () => {
  await waitFor(() => view().services.every((s) => s.metrics !== null), 10_000, "metrics of every service in status");
  const v = view();
  for (const s of v.services) {
    expect(s.metrics!.service).toBe(s.name as Metrics["service"]);
    expect(isValid(Metrics, s.metrics)).toBe(true);
  }
  const busd = v.services.find((s) => s.name === "busd")!.metrics;
  // The supervisor's own watcher plus five services are connected.
  expect(busd?.service === "busd" && busd.clients).toBeGreaterThanOrEqual(6);
  expect(cli("status").stdout.toString()).toMatch(/busd .*clients=\d+ refused=\d+/);
  // logd runs with no jail enabled: `jails` says so and reports it up
  const jails = cli("jails", "--json");
  expect(jails.exitCode).toBe(0);
  expect(JSON.parse(jails.stdout.toString())).toEqual({ running: true, logd_up: true, configured: [], jails: [] });
  expect(cli("jails").stdout.toString()).toContain("no jail is enabled");
});

test("kill -9 of a service: restarted, and status shows the restart", async () => {
  const victim = view().services.find((s) => s.name === "scand")!;
  process.kill(victim.pid!, "SIGKILL");
  await waitFor(() => {
    const s = view().services.find((x) => x.name === "scand")!;
    return s.restarts === 1 && s.healthy && s.pid !== victim.pid;
  }, 10_000, "scand restarted and healthy");
  pids.push(view().services.find((s) => s.name === "scand")!.pid!);
}, 20_000);

test("down leaves no process behind", async () => {
  const all = [...view().services.map((s) => s.pid!), ...pids];
  expect(cli("down").exitCode).toBe(0);
  expect(all.filter(alive)).toEqual([]);
  expect(view().running).toBe(false);
  expect(cli("status").exitCode).toBe(1);
}, 30_000);

test("usage and config errors exit 2 with a message naming the key", () => {
  expect(cli("frobnicate").exitCode).toBe(2);
  const bad = Bun.spawnSync([process.execPath, join(ROOT, "cli/src/main.ts"), "status"], { env: { ...env(), HONEYMESH_ENFORCER_MODE: "drop-everything" }, cwd: ROOT });
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr.toString()).toContain("enforcer.mode");
  expect(bad.stderr.toString()).toContain("drop-everything");
});
