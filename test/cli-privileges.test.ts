import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, ROOT, TestNode, waitFor } from "./support/bus-node.ts";

// Issue 13 "least privilege": `honeymesh up` as root runs every service as its own user with
// only the capabilities it needs, and leaves nothing in the state dir for other users.
const isRoot = process.getuid?.() === 0;
const CAP = { net_bind_service: 10n, net_admin: 12n, perfmon: 38n, bpf: 39n };
const mask = (...bits: bigint[]) => bits.reduce((m, b) => m | (1n << b), 0n);

function freeLowPort(): number {
  for (let p = 900 + Math.floor(Math.random() * 90); p < 1000; p++) {
    try {
      const s = Bun.listen({ hostname: "0.0.0.0", port: p, socket: { data() {} } });
      s.stop(true);
      return p;
    } catch {
      // taken: next
    }
  }
  throw new Error("no free port in 900-999");
}

const node = new TestNode();
const lowPort = isRoot ? freeLowPort() : 0;
const apiPort = freePort();
const meshPort = freePort();
const env = () =>
  node.env({
    HONEYMESH_API_LISTEN: `127.0.0.1:${apiPort}`,
    HONEYMESH_MESH_LISTEN: `127.0.0.1:${meshPort}`,
    HONEYMESH_ENFORCER_PIN_ROOT: `/sys/fs/bpf/hm-privs-${node.nodeId}`,
    HONEYMESH_ENFORCER_INTERFACES: "lo",
    // One trap below 1024: trapd must keep CAP_NET_BIND_SERVICE, and only it.
    HONEYMESH_TRAPS_HTTP_PORT: String(lowPort),
  });
const cli = (...args: string[]) => Bun.spawnSync([process.execPath, join(ROOT, "cli/src/main.ts"), ...args], { env: env(), cwd: ROOT });
interface View { running: boolean; services: { name: string; pid: number | null; healthy: boolean; degraded: { code: string }[] }[] }
const view = (): View => JSON.parse(cli("status", "--json").stdout.toString()) as View;
const status = (pid: number) => Object.fromEntries(readFileSync(`/proc/${pid}/status`, "utf8").split("\n").map((l) => l.split(":\t") as [string, string]));
const passwd = (user: string) => {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no user ${user}`);
  const f = line.split(":");
  return { uid: Number(f[2]), gid: Number(f[3]) };
};
/** Runs `cat path` as another user; returns exit code and stderr. */
const catAs = (ids: string[], path: string) => {
  const r = Bun.spawnSync(["setpriv", ...ids, "cat", path], { stdout: "ignore", stderr: "pipe" });
  return { code: r.exitCode, err: r.stderr.toString() };
};
const nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
const asService = (svc: string) => {
  const u = passwd(`honeymesh-${svc}`);
  return [`--reuid=${u.uid}`, `--regid=${u.gid}`, "--init-groups"];
};
function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    out.push(p);
    if (lstatSync(p).isDirectory()) walk(p, out);
  }
  return out;
}

describe.skipIf(!isRoot)("honeymesh up as root", () => {
  let services: View["services"] = [];

  beforeAll(async () => {
    await node.init();
    const up = cli("up");
    if (up.exitCode !== 0) throw new Error(`up failed: ${up.stdout}${up.stderr}`);
    await waitFor(() => view().services.every((s) => s.healthy), 15_000, "every service healthy");
    services = view().services;
  }, 40_000);

  afterAll(async () => {
    cli("down");
    await node.stop();
    Bun.spawnSync(["rm", "-rf", `/sys/fs/bpf/hm-privs-${node.nodeId}`]);
  });

  test("every service runs as its own unprivileged user", () => {
    for (const s of services) {
      const st = status(s.pid!);
      const want = passwd(`honeymesh-${s.name}`);
      console.log(`${s.name} pid ${s.pid} Uid ${st.Uid} Gid ${st.Gid} CapEff ${st.CapEff} CapBnd ${st.CapBnd} CapAmb ${st.CapAmb}`);
      expect(st.Uid!.split("\t").map(Number)).toEqual([want.uid, want.uid, want.uid, want.uid]);
      expect(want.uid).not.toBe(0);
      expect(st.Gid!.split("\t").map(Number)).toEqual([want.gid, want.gid, want.gid, want.gid]);
      expect(st.NoNewPrivs).toBe("1");
    }
  });

  test("logd alone has the log-reading groups (adm, systemd-journal) besides honeymesh", () => {
    const gidOf = (name: string) => readFileSync("/etc/group", "utf8").split("\n").map((l) => l.split(":")).find((f) => f[0] === name)?.[2];
    const logGroups = ["adm", "systemd-journal"].map(gidOf).filter((g): g is string => g !== undefined).map(Number);
    expect(logGroups.length).toBeGreaterThan(0);
    const node = Number(gidOf("honeymesh"));
    for (const s of services) {
      const groups = status(s.pid!).Groups!.trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
      if (s.name === "logd") expect(groups).toEqual([node, ...logGroups].sort((a, b) => a - b));
      else for (const g of logGroups) expect([s.name, groups]).not.toEqual([s.name, expect.arrayContaining([g])]);
    }
  });

  test("capabilities: enforcerd BPF, NET_ADMIN, PERFMON; trapd NET_BIND_SERVICE for its port < 1024; the others none", () => {
    const want: Record<string, bigint> = { enforcerd: mask(CAP.bpf, CAP.net_admin, CAP.perfmon), trapd: mask(CAP.net_bind_service) };
    for (const s of services) {
      const st = status(s.pid!);
      const w = want[s.name] ?? 0n;
      expect([s.name, BigInt(`0x${st.CapEff}`)]).toEqual([s.name, w]);
      expect([s.name, BigInt(`0x${st.CapBnd}`)]).toEqual([s.name, w]);
      expect([s.name, BigInt(`0x${st.CapPrm}`)]).toEqual([s.name, w]);
    }
    // With only its capabilities enforcerd still attaches and enforces; trapd still listens below 1024.
    expect(services.find((s) => s.name === "enforcerd")!.degraded).toEqual([]);
    const c = Bun.spawnSync(["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${lowPort}`]);
    expect(c.exitCode).toBe(0);
  });

  test("no file under the state dir is readable by an unprivileged user", () => {
    const all = walk(node.stateDir);
    expect(all.length).toBeGreaterThan(10);
    const readable: string[] = [];
    for (const p of all) {
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      // Nothing grants "other" anything, whatever the directories above it say.
      if ((st.mode & 0o007) !== 0) readable.push(`${p} mode ${(st.mode & 0o7777).toString(8)}`);
      if (st.isDirectory()) continue;
      const r = catAs(nobody, p);
      if (r.code === 0 || !r.err.includes("Permission denied")) readable.push(`${p}: ${r.code} ${r.err.trim()}`);
    }
    expect(readable).toEqual([]);
    expect((lstatSync(node.stateDir).mode & 0o777).toString(8)).toBe("770");
  });

  test("each service's key is readable by that service only; apid's files by apid only", () => {
    for (const s of services) {
      expect([s.name, catAs(asService(s.name), join(node.stateDir, "keys", `${s.name}.jwk`)).code]).toEqual([s.name, 0]);
      const other = s.name === "scand" ? "trapd" : "scand";
      const r = catAs(asService(other), join(node.stateDir, "keys", `${s.name}.jwk`));
      expect([s.name, other, r.err.includes("Permission denied")]).toEqual([s.name, other, true]);
    }
    const apidFiles = walk(join(node.stateDir, "apid")).filter((p) => lstatSync(p).isFile());
    expect(apidFiles.length).toBeGreaterThan(0);
    for (const p of apidFiles) {
      expect([p, catAs(asService("apid"), p).code]).toEqual([p, 0]);
      expect([p, catAs(asService("meshd"), p).err.includes("Permission denied")]).toEqual([p, true]);
    }
  });

  test("the services still work together across users: a ban through the API is listed from enforcerd's and trapd's databases", () => {
    const ban = cli("ban", "198.51.100.77", "--ttl", "1h");
    expect([ban.exitCode, ban.stderr.toString()]).toEqual([0, ""]);
    const bans = cli("bans", "--json");
    expect([bans.exitCode, bans.stderr.toString()]).toEqual([0, ""]);
    expect(bans.stdout.toString()).toContain("198.51.100.77");
    const events = cli("events");
    expect([events.exitCode, events.stderr.toString()]).toEqual([0, ""]);
    // apid reads the other services' SQLite files (WAL) as another user of the group.
    const apidLog = readFileSync(join(node.stateDir, "logs", "apid.log"), "utf8");
    expect(apidLog).not.toContain("cannot read an owner's database");
    expect(apidLog).not.toMatch(/EACCES|permission denied|readonly database/i);
  });

  test("the admin token appears in no service's log", () => {
    const token = readFileSync(join(node.stateDir, "apid", "admin.token"), "utf8").trim();
    expect(token.length).toBeGreaterThan(20);
    const logs = readdirSync(join(node.stateDir, "logs")).map((f) => join(node.stateDir, "logs", f));
    expect(logs.length).toBeGreaterThanOrEqual(6);
    for (const l of logs) expect([l, readFileSync(l, "utf8").includes(token)]).toEqual([l, false]);
    // And no service ran into a permission it lacks.
    for (const l of logs) expect([l, readFileSync(l, "utf8").match(/.*(EACCES|EPERM|permission denied|operation not permitted).*/i)?.[0]]).toEqual([l, undefined]);
  });
});
