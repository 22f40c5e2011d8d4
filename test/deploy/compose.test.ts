// compose.yaml with a real dockerd (issue 14). The path exercised here is Debian 12's docker.io,
// i.e. Docker Engine 20.10, which needs the override (compose.docker20.yaml + .env: SYS_ADMIN for
// the enforcer instead of the BPF/PERFMON names it does not know). dockerd runs inside a network
// namespace this test made, with its own roots under a temp dir; the base image is imported from
// the cached debootstrap root (no registry). One image is built once and runs all seven services;
// then a trap touch from an attacker namespace must end in a kernel ban that drops the attacker.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bpfAvailability } from "@honeymesh/bpf/availability";
import { debianRoot } from "./debian-root.ts";
import { PrivateDockerd } from "./dockerd.ts";
import { sh } from "./nspawn-machine.ts";

const ROOT = resolve(import.meta.dir, "../..");
const SERVICES = ["busd", "trapd", "scand", "enforcerd", "meshd", "apid", "logd"];

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root";
  const a = bpfAvailability();
  if (!a.ok) return `no BPF: ${a.reason}`;
  for (const [tool, pkg] of [["dockerd", "docker.io"], ["docker-compose", "docker-compose"], ["debootstrap", "debootstrap"], ["bpftool", "bpftool"]])
    if (!Bun.which(tool!)) return `${tool} is not installed (apt-get install ${pkg}; scripts/setup.sh --test)`;
  return undefined;
}
const skip = skipReason();
if (skip) console.warn(`SKIP test/deploy/compose: ${skip}`);

const timings: [string, number][] = [];
let last = Date.now();
const t0 = last;
const lap = (step: string) => {
  const now = Date.now();
  timings.push([step, (now - last) / 1000]);
  last = now;
};

describe.skipIf(!!skip)("compose.yaml with Debian's docker.io (Engine 20.10: the override path)", () => {
  const sfx = randomBytes(2).toString("hex");
  const nodeNs = `hm-deploy-n-${sfx}`;
  const attackerNs = `hm-deploy-a-${sfx}`;
  const nodeIf = `hmdep${sfx}n`;
  const attackerIf = `hmdep${sfx}a`;
  const net = `10.233.${Math.floor(Math.random() * 250) + 1}`;
  const nodeAddr = `${net}.1`;
  const attackerAddr = `${net}.2`;
  const pinRoot = `/sys/fs/bpf/hm-deploy-${sfx}`;
  const tmp = `/tmp/hm-deploy-compose-${sfx}`;
  const project = `hmdeploy${sfx}`;
  let d: PrivateDockerd;
  let env: Record<string, string>;

  const compose = (args: string[], allowFail = false) => {
    const p = Bun.spawnSync(["docker-compose", "--env-file", "compose.docker20.env", "-f", "compose.yaml", "-f", "compose.docker20.yaml", ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
    const r = { code: p.exitCode ?? -1, out: p.stdout.toString(), err: p.stderr.toString() };
    if (r.code !== 0 && !allowFail) throw new Error(`docker-compose ${args.join(" ")} exited ${r.code}:\n${r.out}${r.err}`);
    return r;
  };
  const inAttacker = (script: string) => sh(["nsenter", `--net=/run/netns/${attackerNs}`, "bash", "-c", script], { allowFail: true });
  async function eventually(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await Bun.sleep(500);
    }
  }

  beforeAll(async () => {
    const base = debianRoot((l) => console.log(l));
    lap("debian root (cache)");
    for (const ns of [nodeNs, attackerNs]) sh(["ip", "netns", "add", ns]);
    sh(["ip", "link", "add", nodeIf, "netns", nodeNs, "type", "veth", "peer", "name", attackerIf, "netns", attackerNs]);
    for (const [ns, ifc, addr] of [[nodeNs, nodeIf, nodeAddr], [attackerNs, attackerIf, attackerAddr]] as const) {
      sh(["ip", "-n", ns, "addr", "add", `${addr}/30`, "dev", ifc]);
      sh(["ip", "-n", ns, "link", "set", ifc, "up"]);
      sh(["ip", "-n", ns, "link", "set", "lo", "up"]);
    }
    mkdirSync(pinRoot, { mode: 0o700 });
    mkdirSync(tmp, { recursive: true });
    const config = join(tmp, "honeymesh.toml");
    writeFileSync(config, `[enforcer]\nmode = "enforce"\ninterfaces = ["${nodeIf}"]\npin_root = "${pinRoot}"\n`);
    d = new PrivateDockerd(nodeNs);
    await d.start();
    lap("dockerd");
    sh(["sh", "-c", `tar -C '${base}' --exclude=./.complete -c . | /usr/bin/docker -H '${d.host}' import - honeymesh-base:test`]);
    lap("docker import base");
    sh(["bash", join(ROOT, "scripts/build-release.sh"), join(ROOT, "dist/release")]);
    lap("build-release");
    env = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", DOCKER_HOST: d.host, COMPOSE_PROJECT_NAME: project, HONEYMESH_CONFIG: config, HONEYMESH_BASE_IMAGE: "honeymesh-base:test" };
    compose(["build"]);
    lap("compose build");
    compose(["up", "-d"]);
    lap("compose up");
  }, 600_000);

  afterAll(async () => {
    if (d) {
      // HM_DEPLOY_DEBUG=1: each container's last log lines, to see why one never became healthy.
      if (process.env.HM_DEPLOY_DEBUG) for (const s of ["init", ...SERVICES]) console.log(`==== ${s}\n${d.docker(["logs", "--tail", "30", container(s)], true).out}${d.docker(["logs", "--tail", "30", container(s)], true).err}`);
      if (env) compose(["down", "-v", "--timeout", "10"], true);
      await d.stop();
    }
    for (const ns of [nodeNs, attackerNs]) sh(["ip", "netns", "del", ns], { allowFail: true });
    rmSync(pinRoot, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
    lap("cleanup");
    console.log(`test/deploy/compose timings: ${timings.map(([s, t]) => `${s} ${t.toFixed(1)}s`).join(", ")}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }, 120_000);

  const container = (svc: string) => `${project}_${svc}_1`;
  const inspect = (svc: string, fmt: string) => d.docker(["inspect", "-f", fmt, container(svc)], true).out.trim();

  test("the engine is the old one the override is for", () => {
    expect(d.version()).toMatch(/^20\./);
  });

  test("one image runs all seven; init made the keys; every container becomes healthy", async () => {
    const images = new Set(SERVICES.map((s) => inspect(s, "{{.Config.Image}}")));
    expect([...images]).toEqual(["honeymesh:latest"]);
    expect(inspect("init", "{{.State.ExitCode}}")).toBe("0");
    await eventually("all healthy", () => SERVICES.every((s) => inspect(s, "{{.State.Health.Status}}") === "healthy"), 120_000);
    lap("healthy");
    for (const s of SERVICES) expect(`${s} ${inspect(s, "{{.RestartCount}}")}`).toBe(`${s} 0`);
  }, 150_000);

  test("non-root users for everything but enforcerd", () => {
    for (const s of SERVICES) {
      const user = inspect(s, "{{.Config.User}}");
      if (s === "enforcerd") expect(user).toBe("0:10000");
      else expect(user, s).toMatch(/^100\d\d:10000$/);
    }
  });

  test("logd reads the host's logs read-only as group adm", () => {
    expect(inspect("logd", "{{json .HostConfig.GroupAdd}}")).toBe('["4"]');
    const mounts = JSON.parse(inspect("logd", "{{json .Mounts}}")) as { Source: string; Destination: string; RW: boolean }[];
    expect(mounts.find((x) => x.Destination === "/var/log")).toMatchObject({ Source: "/var/log", RW: false });
    // Inside: uid 10007, groups 10000 and 4; writing the logs fails.
    const id = d.docker(["exec", container("logd"), "id"], true);
    expect(id.out).toMatch(/uid=10007\b/);
    expect(id.out).toMatch(/groups=.*\b4\b/);
    expect(d.docker(["exec", container("logd"), "sh", "-c", "touch /var/log/hm-write-probe"], true).code).not.toBe(0);
  });

  test("a trap touch from the attacker namespace ends in a kernel ban that drops the attacker", async () => {
    expect(inAttacker(`timeout 5 bash -c 'exec 3<>/dev/tcp/${nodeAddr}/2222; echo SSH-2.0-probe >&3; sleep 1'`).code).toBe(0);
    const key = attackerAddr.split(".");
    await eventually("the attacker in hm_ban_v4", () => sh(["bpftool", "map", "lookup", "pinned", `${pinRoot}/hm_ban_v4`, "key", ...key], { allowFail: true }).code === 0, 60_000);
    lap("trap touch to kernel ban");
    // Dropped in XDP: the handshake never completes.
    expect(inAttacker(`timeout 3 bash -c 'exec 3<>/dev/tcp/${nodeAddr}/2323'`).code).not.toBe(0);
  }, 90_000);
});
