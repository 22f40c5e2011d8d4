// Packaging checks (DESIGN §8): compose.yaml, the Dockerfile, the systemd units and the
// example config. No Docker engine and no systemd as PID 1 are needed: compose files are
// validated with docker-compose, units with systemd-analyze (verify + offline security).
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../packages/config/src/load.ts";
import { ConfigSchema } from "../packages/config/src/schema.ts";

const ROOT = resolve(import.meta.dir, "..");
const SERVICES = ["busd", "trapd", "scand", "enforcerd", "meshd", "apid", "logd"] as const;
const UNIT_DIR = join(ROOT, "deploy/systemd");
const EXAMPLE = join(ROOT, "deploy/honeymesh.example.toml");
const CONFIG_PATH = "/etc/honeymesh/honeymesh.toml";
const STATE = "/var/lib/honeymesh";
const ENFORCER_CAPS = ["BPF", "NET_ADMIN", "PERFMON"];

const temps: string[] = [];
function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hm-packaging-${tag}-`));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
}
function run(cmd: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
  const p = Bun.spawnSync(cmd, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdout: "pipe", stderr: "pipe" });
  return { code: p.exitCode ?? -1, out: p.stdout.toString(), err: p.stderr.toString() };
}

function requireTool(name: string, install: string): string {
  const path = Bun.which(name);
  if (!path) throw new Error(`${name} is not installed: ${install}`);
  return path;
}

// ---------------------------------------------------------------- compose

describe("compose.yaml", () => {
  const COMPOSE_HINT = "install Debian's docker-compose (apt-get install -y docker-compose; v1 >= 1.28 for profiles)";
  // No variables from the caller's shell may change what is validated.
  const cleanEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, HONEYMESH_CONFIG: undefined, COMPOSE_PROFILES: undefined };

  function compose(args: string[], env: Record<string, string | undefined> = {}): Run {
    const bin = requireTool("docker-compose", COMPOSE_HINT);
    return run([bin, "-f", "compose.yaml", ...args], { env: { ...cleanEnv, ...env } });
  }
  function noWarnings(r: Run): void {
    const bad = `${r.out}\n${r.err}`.split("\n").filter((l) => /warn|error|invalid|unsupported/i.test(l));
    expect(bad).toEqual([]);
  }
  // docker-compose v1 prints the resolved file as YAML (anchors and merges applied).
  type Svc = Record<string, any>;
  function resolved(args: string[] = [], env: Record<string, string | undefined> = {}): Record<string, Svc> {
    const r = compose([...args, "config"], env);
    expect(r.code, r.err).toBe(0);
    return (Bun.YAML.parse(r.out) as { services: Record<string, Svc> }).services;
  }

  test("docker-compose config -q accepts the file", () => {
    const r = compose(["config", "-q"]);
    expect(r.code, `docker-compose config failed:\n${r.err}`).toBe(0);
    noWarnings(r);
  });

  test("the tracing profile validates and adds only jaeger", () => {
    const r = compose(["--profile", "tracing", "config", "-q"]);
    expect(r.code, `docker-compose --profile tracing config failed:\n${r.err}`).toBe(0);
    noWarnings(r);
    // docker-compose v1 lists profiled services in `config` output too: check the profiles themselves.
    const services = resolved(["--profile", "tracing"]);
    expect(Object.keys(services).sort()).toEqual([...SERVICES, "init", "jaeger"].sort());
    for (const name of SERVICES) expect(services[name]!.profiles, `${name} must run without a profile`).toBeUndefined();
    expect(services.jaeger!.profiles).toEqual(["tracing"]);
    const jaeger = services.jaeger!;
    expect(String(jaeger.image)).toStartWith("jaegertracing/all-in-one");
    const ports = JSON.stringify(jaeger.ports);
    expect(ports).toContain("4318");
  });

  test("OTEL_EXPORTER_OTLP_ENDPOINT is empty by default and passed through when set", () => {
    for (const svc of Object.values(resolved())) expect(svc.environment.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").toBe("");
    const withOtel = resolved(["--profile", "tracing"], { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" });
    for (const name of SERVICES) expect(withOtel[name]!.environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://127.0.0.1:4318");
  });

  test("one container per process, all hardened, only enforcerd has capabilities", () => {
    const services = resolved();
    for (const name of SERVICES) {
      const s = services[name]!;
      expect(s, name).toBeDefined();
      expect(s.command, name).toEqual([`honeymesh-${name}`, "--config", CONFIG_PATH]);
      expect(s.network_mode, name).toBe("host");
      expect(s.read_only, name).toBe(true);
      expect(s.cap_drop, name).toEqual(["ALL"]);
      expect(s.privileged ?? false, name).toBe(false);
      expect(s.security_opt, name).toContain("no-new-privileges:true");
      expect(s.restart, name).toBeTruthy();
      expect(s.environment.HONEYMESH_NODE_STATE_DIR, name).toBe(STATE);
      expect(s.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      // LAYOUT: every service but enforcerd runs as its own unprivileged uid, all in gid 10000.
      if (name === "enforcerd") expect(s.user).toBe("0:10000");
      else expect(s.user, name).toMatch(/^100(0[1-9]|1\d):10000$/);
      if (name === "enforcerd") expect([...s.cap_add].sort(), name).toEqual([...ENFORCER_CAPS].sort());
      else expect(s.cap_add, `${name} must not get capabilities`).toBeUndefined();
      expect(s.depends_on.init.condition, name).toBe("service_completed_successfully");
      if (name !== "busd") expect(s.depends_on.busd.condition, name).toBe("service_healthy");
    }
    expect(new Set(SERVICES.map((n) => services[n]!.user)).size, "one uid per service").toBe(SERVICES.length);
    expect(services.meshd!.secrets?.map((x: { source: string }) => x.source)).toEqual(["cluster_key"]);
  });

  test("the override for Docker < 23 names no capability those engines do not know", () => {
    const r = compose(["--env-file", "compose.docker20.env", "-f", "compose.docker20.yaml", "config"]);
    expect(r.code, r.err).toBe(0);
    const services = (Bun.YAML.parse(r.out) as { services: Record<string, Svc> }).services;
    expect([...services.enforcerd!.cap_add].sort()).toEqual(["IPC_LOCK", "NET_ADMIN", "SYS_ADMIN"]);
    for (const name of SERVICES) if (name !== "enforcerd") expect(services[name]!.cap_add, name).toBeUndefined();
  });

  test("the state and runtime volumes are mounted by all seven, bpffs only by enforcerd, host logs only by logd (read-only), config read-only", () => {
    const services = resolved();
    const volumes = (s: Svc) => (s.volumes as string[]).map((v) => v.split(":"));
    for (const name of SERVICES) {
      const v = volumes(services[name]!);
      expect(v.find(([src, dst]) => src === "state" && dst === STATE), `${name}: state volume`).toBeDefined();
      // The bus and API sockets (an installed node's default runtime dir): busd, apid and their clients share it.
      expect(v.find(([src, dst]) => src === "runtime" && dst === "/run/honeymesh"), `${name}: runtime volume`).toBeDefined();
      const cfg = v.find(([, dst]) => dst === CONFIG_PATH);
      expect(cfg?.[2], `${name}: config bind mount read-only`).toBe("ro");
      const bpf = v.find(([, dst]) => dst === "/sys/fs/bpf");
      if (name === "enforcerd") expect(bpf?.[0]).toBe("/sys/fs/bpf");
      else expect(bpf, `${name} must not see bpffs`).toBeUndefined();
      const logs = v.find(([src]) => src === "/var/log");
      if (name === "logd") expect(logs, "logd: host /var/log read-only").toEqual(["/var/log", "/var/log", "ro"]);
      else expect(logs, `${name} must not see the host's logs`).toBeUndefined();
    }
    // logd reads the logs as the host's group adm (gid 4), nothing else gets extra groups.
    for (const name of SERVICES) expect([name, services[name]!.group_add ?? []]).toEqual([name, name === "logd" ? ["4"] : []]);
    const text = readFileSync(join(ROOT, "compose.yaml"), "utf8");
    expect((Bun.YAML.parse(text) as { volumes?: object }).volumes).toHaveProperty("state");
    expect((Bun.YAML.parse(text) as { volumes?: object }).volumes).toHaveProperty("runtime");
  });

  test("the image is built by the Dockerfile as described", () => {
    const services = resolved();
    for (const name of SERVICES) expect(services[name]!.build?.dockerfile ?? services[name]!.image, name).toBeTruthy();
    const images = new Set(SERVICES.map((n) => services[n]!.image));
    expect(images.size, "one image for all seven").toBe(1);
    expect(services.busd!.build?.args?.BASE_IMAGE).toBe("debian:bookworm-slim");
    const df = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    // Classic builders (Docker 20.10 without BuildKit) must read it: no `# syntax=` line.
    expect(df).not.toMatch(/^# *syntax=/m);
    expect(df).toMatch(/^ARG BASE_IMAGE=/m);
    expect(df).toMatch(/^FROM \$\{BASE_IMAGE\}$/m);
    expect(df).toContain("COPY dist/release/bin/ /usr/bin/");
    expect(df).toContain("libbpf1");
    const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
    for (const p of [".git", "node_modules", "bpf/build"]) expect(ignore).toContain(p);
    expect(ignore).toContain("!dist/release");
  });
});

// ---------------------------------------------------------------- systemd

type Unit = Map<string, string[]>; // "Section.Key" -> values in order

function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`not a unit line: ${line}`);
    const key = `${section}.${line.slice(0, eq).trim()}`;
    unit.set(key, [...(unit.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return unit;
}
const one = (u: Unit, key: string) => u.get(key)?.at(-1);
const words = (u: Unit, key: string) => (u.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);

describe("deploy/systemd", () => {
  const files = readdirSync(UNIT_DIR).sort();
  const units = new Map(files.map((f) => [f, parseUnit(readFileSync(join(UNIT_DIR, f), "utf8"))]));
  const svcUnit = (s: string) => units.get(`honeymesh-${s}.service`)!;

  /** The units with real paths (bun binary, checkout) so that verify checks something real. */
  function installedCopy(): string {
    const dir = tempDir("units");
    for (const f of files) {
      // The installed executables (/usr/bin/honeymesh*) do not exist here: point at a real one.
      const text = readFileSync(join(UNIT_DIR, f), "utf8").replaceAll(/\/usr\/bin\/honeymesh(-[a-z]+)?/g, process.execPath);
      writeFileSync(join(dir, f), text);
    }
    return dir;
  }
  function verify(dir: string, names: string[]): Run {
    const bin = requireTool("systemd-analyze", "install systemd (apt-get install -y systemd)");
    return run([bin, "verify", "--man=no", ...names.map((n) => `./${n}`)], { cwd: dir, env: { SYSTEMD_LOG_LEVEL: "info", SYSTEMD_COLORS: "0" } });
  }

  test("seven services and the target, nothing else", () => {
    expect(files).toEqual([...SERVICES.map((s) => `honeymesh-${s}.service`), "honeymesh.target"].sort());
  });

  test("systemd-analyze verify reports nothing", () => {
    const dir = installedCopy();
    const r = verify(dir, files);
    const output = `${r.out}${r.err}`.trim();
    // Observed on systemd 252: a clean set prints nothing at all (User=honeymesh is not
    // resolved by verify, so the missing user is not reported). Any line is a finding.
    const findings = output.split("\n").filter((l) => /error|unknown|failed|not executable|ignoring|invalid|warning/i.test(l));
    expect(findings, output).toEqual([]);
    expect(r.code, output).toBe(0);
  });

  test("verify would have caught a broken unit (the check is not vacuous)", () => {
    const dir = installedCopy();
    const path = join(dir, "honeymesh-scand.service");
    writeFileSync(path, readFileSync(path, "utf8").replace("[Service]\n", "[Service]\nProtectSystme=strict\n").replace(/^ExecStart=\S+/m, "ExecStart=/nonexistent/bun"));
    const r = verify(dir, ["honeymesh-scand.service"]);
    const output = `${r.out}${r.err}`;
    expect(output).toContain("Unknown key");
    expect(output).toContain("/nonexistent/bun");
    expect(r.code).not.toBe(0);
  });

  test("offline security exposure stays low for every service", () => {
    const dir = installedCopy();
    const bin = requireTool("systemd-analyze", "install systemd");
    const figures: string[] = [];
    for (const s of SERVICES) {
      const r = run([bin, "security", "--offline=yes", "--no-pager", `./honeymesh-${s}.service`], { cwd: dir, env: { SYSTEMD_COLORS: "0" } });
      const m = /Overall exposure level for \S+: ([0-9.]+)/.exec(`${r.out}${r.err}`);
      expect(m, `${s}: ${r.out}${r.err}`).not.toBeNull();
      figures.push(`${s} ${m![1]}`);
      expect(Number(m![1]), s).toBeLessThanOrEqual(2.0);
    }
    console.log(`systemd-analyze security exposure: ${figures.join(", ")}`);
  });

  test("every service: user, paths, ordering, restart", () => {
    for (const s of SERVICES) {
      const u = svcUnit(s);
      expect(one(u, "Service.User"), s).toBe(`honeymesh-${s}`);
      expect(one(u, "Service.Group"), s).toBe("honeymesh");
      expect(one(u, "Service.ExecStart"), s).toBe(`/usr/bin/honeymesh-${s} --config ${CONFIG_PATH}`);
      expect(u.get("Service.Environment"), s).toContain(`HONEYMESH_NODE_STATE_DIR=${STATE}`);
      expect(one(u, "Service.Restart"), s).toBe("always");
      expect(one(u, "Service.RestartSec"), s).toBeTruthy();
      expect(one(u, "Unit.StartLimitIntervalSec"), s).toBe("0");
      if (s !== "busd") expect(u.get("Service.ExecStartPre")?.[0], s).toStartWith("/usr/bin/honeymesh wait-bus ");
      expect(words(u, "Unit.PartOf"), s).toContain("honeymesh.target");
      expect(words(u, "Install.WantedBy"), s).toContain("honeymesh.target");
      if (s !== "busd") {
        expect(words(u, "Unit.Requires"), s).toContain("honeymesh-busd.service");
        expect(words(u, "Unit.After"), s).toContain("honeymesh-busd.service");
      }
    }
    const target = units.get("honeymesh.target")!;
    expect(words(target, "Unit.Requires").filter((w) => w.startsWith("honeymesh-")).sort()).toEqual(SERVICES.map((s) => `honeymesh-${s}.service`).sort());
    expect(words(target, "Install.WantedBy")).toContain("multi-user.target");
  });

  test("every service is hardened", () => {
    for (const s of SERVICES) {
      const u = svcUnit(s);
      const expectKey = (k: string, v: string) => expect(one(u, `Service.${k}`), `${s}: ${k}`).toBe(v);
      expectKey("NoNewPrivileges", "yes");
      expectKey("ProtectSystem", "strict");
      // enforcerd: ProtectKernelTunables=yes would make /sys/fs/bpf read-only; /sys and /proc/sys are read-only by hand.
      expectKey("ProtectKernelTunables", s === "enforcerd" ? "no" : "yes");
      if (s === "enforcerd") expect(words(u, "Service.ReadOnlyPaths")).toEqual(["/sys", "/proc/sys", "-/proc/sysrq-trigger"]);
      for (const k of ["ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "RestrictNamespaces", "LockPersonality", "RestrictRealtime", "RestrictSUIDSGID"])
        expectKey(k, "yes");
      expectKey("SystemCallArchitectures", "native");
      expect(u.get("Service.SystemCallFilter")?.[0], `${s}: SystemCallFilter`).toBe("@system-service");
      expect(u.has("Service.CapabilityBoundingSet"), `${s}: CapabilityBoundingSet`).toBe(true);
      expect(u.has("Service.AmbientCapabilities"), `${s}: AmbientCapabilities`).toBe(true);
      // JavaScriptCore's JIT needs W+X memory.
      expect(one(u, "Service.MemoryDenyWriteExecute") ?? "no", s).not.toBe("yes");
      expect(words(u, "Service.ReadWritePaths"), s).toContain(STATE);
      const af = words(u, "Service.RestrictAddressFamilies");
      for (const f of ["AF_INET", "AF_INET6", "AF_UNIX"]) expect(af, s).toContain(f);
      const extra = af.filter((f) => !["AF_INET", "AF_INET6", "AF_UNIX"].includes(f));
      // getifaddrs(3) needs netlink: enforcerd (attach), meshd, scand and apid (own addresses).
      expect(extra, s).toEqual(["enforcerd", "meshd", "scand", "apid"].includes(s) ? ["AF_NETLINK"] : []);
    }
  });

  test("logd reads logs through groups, not capabilities, and cannot write them", () => {
    const u = svcUnit("logd");
    expect(words(u, "Service.SupplementaryGroups").sort()).toEqual(["adm", "systemd-journal"]);
    expect(words(u, "Service.ReadOnlyPaths")).toContain("/var/log");
    expect(words(u, "Service.ReadWritePaths").filter((p) => p.replace(/^-/, "").startsWith("/var/log"))).toEqual([]);
    // No other service gets extra groups.
    for (const s of SERVICES) if (s !== "logd") expect(svcUnit(s).get("Service.SupplementaryGroups"), s).toBeUndefined();
  });

  test("only enforcerd has capabilities, and exactly BPF, NET_ADMIN, PERFMON", () => {
    const caps = ENFORCER_CAPS.map((c) => `CAP_${c}`).sort();
    for (const s of SERVICES) {
      const u = svcUnit(s);
      const bounding = words(u, "Service.CapabilityBoundingSet");
      const ambient = words(u, "Service.AmbientCapabilities");
      if (s === "enforcerd") {
        expect(bounding.sort()).toEqual(caps);
        expect(ambient.sort()).toEqual(caps);
        expect(words(u, "Service.SystemCallFilter")).toContain("bpf");
        expect(words(u, "Service.ReadWritePaths")).toContain("/sys/fs/bpf");
      } else {
        // An empty assignment clears the set: no capability at all.
        expect(u.get("Service.CapabilityBoundingSet"), s).toEqual([""]);
        expect(u.get("Service.AmbientCapabilities"), s).toEqual([""]);
        expect(words(u, "Service.ReadWritePaths"), s).not.toContain("/sys/fs/bpf");
        expect(words(u, "Service.SystemCallFilter"), s).not.toContain("bpf");
      }
    }
  });
});

// ---------------------------------------------------------------- example config

describe("deploy/honeymesh.example.toml", () => {
  const defaults = () => {
    const { path: _p, ...rest } = loadConfig({ path: join(tempDir("none"), "absent.toml"), explicit: false, env: {} });
    return rest;
  };

  test("loads with the project's loader and gives exactly the defaults", () => {
    const { path: _p, ...loaded } = loadConfig({ path: EXAMPLE, explicit: true, env: {} });
    expect(loaded).toEqual(defaults());
  });

  test("documents every key, and the documented values are the defaults", () => {
    // Uncomment every `# key = value` line: the result must be valid TOML, name every
    // schema key (telemetry comes from OTEL_* variables, not the file) and load to the defaults.
    const text = readFileSync(EXAMPLE, "utf8");
    const uncommented = text.replace(/^# ([a-z_][a-z0-9_]*) = /gm, "$1 = ");
    const dir = tempDir("example");
    const path = join(dir, "uncommented.toml");
    writeFileSync(path, uncommented);
    const tree = Bun.TOML.parse(uncommented) as Record<string, any>;

    const missing: string[] = [];
    const walk = (schema: any, node: any, prefix: string) => {
      for (const [k, sub] of Object.entries<any>(schema.properties)) {
        if (!prefix && k === "telemetry") continue;
        const key = prefix + k;
        // A table of named entries (`[jails.<name>]`): none exists by default, so its keys are
        // documented in a commented example table (`#  key = default`), not uncommented above.
        if (sub.patternProperties) {
          const item = Object.values<any>(sub.patternProperties)[0];
          if (!new RegExp(`^#\\[${key}\\.`, "m").test(text)) missing.push(`[${key}.<name>]`);
          for (const p of Object.keys(item.properties)) if (!new RegExp(`^#  ${p} = `, "m").test(text)) missing.push(`${key}.<name>.${p}`);
        } else if (sub.type === "object") walk(sub, node?.[k], `${key}.`);
        else if (node?.[k] === undefined) missing.push(key);
      }
    };
    walk(ConfigSchema, tree, "");
    expect(missing, "keys not documented as `# key = default`").toEqual([]);
    expect(tree.telemetry).toBeUndefined();

    const { path: _p, ...loaded } = loadConfig({ path, explicit: true, env: {} });
    expect(loaded).toEqual(defaults());
  });

  test("the packaged deployments' state dir override applies to it", () => {
    const cfg = loadConfig({ path: EXAMPLE, explicit: true, env: { HONEYMESH_NODE_STATE_DIR: STATE } });
    expect(cfg.node.state_dir).toBe(STATE);
  });
});
