import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/**
 * The machine a node's traps pretend to be. Generated once per node and kept in the state dir, so
 * every session (and every restart) sees the same host, and two nodes never look alike: a fixed
 * persona is how botnets list honeypots (Cowrie's user `richard`, host `svr04`, kernel
 * `3.2.0-4-amd64`: cowrie#1102, #1512).
 */
export const Persona = Type.Object({
  version: Type.Literal(1),
  hostname: Type.String({ minLength: 1, maxLength: 63 }),
  distro: Type.Union([Type.Literal("debian12"), Type.Literal("debian11"), Type.Literal("ubuntu2204"), Type.Literal("ubuntu2404")]),
  kernel: Type.String({ maxLength: 64 }),
  kernelBuild: Type.String({ maxLength: 128 }),
  cpuModel: Type.String({ maxLength: 128 }),
  cpuMhz: Type.Number(),
  cpus: Type.Integer({ minimum: 1, maximum: 64 }),
  memKb: Type.Integer({ minimum: 1 }),
  bootAt: Type.Integer(),
  users: Type.Array(Type.Object({ name: Type.String({ maxLength: 32 }), uid: Type.Integer(), gecos: Type.String({ maxLength: 64 }) }), { maxItems: 8 }),
  ip: Type.String({ maxLength: 64 }),
  mac: Type.String({ maxLength: 17 }),
  diskGb: Type.Integer({ minimum: 1 }),
  sshdPid: Type.Integer(),
});
export type Persona = Static<typeof Persona>;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const HOST_WORDS = ["web", "app", "api", "db", "mail", "git", "backup", "build", "node", "prod", "stage", "cache", "files", "vpn", "monitor", "ci", "shop", "crm", "erp", "wiki"];
const FIRST = ["anna", "mark", "lucas", "sofia", "daniel", "maria", "peter", "julia", "tom", "nina", "alex", "chris", "dave", "emma", "ivan", "olga", "li", "raj", "sam", "kate"];
const CPUS = [
  ["Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", 2399.998],
  ["Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 2499.996],
  ["Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", 2500.0],
  ["AMD EPYC 7543 32-Core Processor", 2794.748],
  ["AMD EPYC-Rome Processor", 2994.374],
  ["Intel Xeon Processor (Skylake, IBRS)", 2095.078],
  ["Intel(R) Xeon(R) CPU E5-2650 v2 @ 2.60GHz", 2599.998],
  ["AMD EPYC 7R13 Processor", 2650.0],
] as const;

/** Which distro the SSH banner promises: a shell that contradicts the banner gives the trap away. */
export function distroFor(banner: string, r: () => number): Persona["distro"] {
  if (/ubuntu/i.test(banner)) return /24\.04|9\.6p1/.test(banner) ? "ubuntu2404" : "ubuntu2204";
  if (/deb11/.test(banner)) return "debian11";
  if (/deb12|Debian/i.test(banner)) return "debian12";
  return pick(r, ["debian12", "ubuntu2204"] as const);
}

function kernelFor(d: Persona["distro"], r: () => number): { kernel: string; build: string } {
  const year = d === "debian11" ? 2024 : 2025;
  const day = `${pick(r, ["Mon", "Tue", "Wed", "Thu", "Fri"])} ${pick(r, ["Jan", "Mar", "Apr", "Jun", "Sep", "Oct"])} ${int(r, 10, 28)} ${String(int(r, 0, 23)).padStart(2, "0")}:${String(int(r, 0, 59)).padStart(2, "0")}:${String(int(r, 0, 59)).padStart(2, "0")} UTC ${year}`;
  switch (d) {
    case "debian12": {
      const abi = int(r, 18, 32), up = int(r, 76, 140);
      return { kernel: `6.1.0-${abi}-amd64`, build: `#1 SMP PREEMPT_DYNAMIC Debian 6.1.${up}-1 (${day.split(" ").slice(-1)[0]}-${String(int(r, 1, 12)).padStart(2, "0")}-${String(int(r, 1, 28)).padStart(2, "0")})` };
    }
    case "debian11": {
      const abi = int(r, 26, 34), up = int(r, 197, 234);
      return { kernel: `5.10.0-${abi}-amd64`, build: `#1 SMP Debian 5.10.${up}-1 (${year}-${String(int(r, 1, 12)).padStart(2, "0")}-${String(int(r, 1, 28)).padStart(2, "0")})` };
    }
    case "ubuntu2204": {
      const abi = int(r, 91, 130);
      return { kernel: `5.15.0-${abi}-generic`, build: `#${abi + int(r, 8, 12)}-Ubuntu SMP ${day}` };
    }
    case "ubuntu2404": {
      const abi = int(r, 31, 60);
      return { kernel: `6.8.0-${abi}-generic`, build: `#${abi}-Ubuntu SMP PREEMPT_DYNAMIC ${day}` };
    }
  }
}

function hostname(r: () => number): string {
  const hex = () => Math.floor(r() * 0xffffffff).toString(16).padStart(8, "0");
  switch (int(r, 0, 3)) {
    case 0:
      return `${pick(r, HOST_WORDS)}${String(int(r, 1, 24)).padStart(2, "0")}`;
    case 1:
      return `${pick(r, HOST_WORDS)}-${pick(r, HOST_WORDS)}-${int(r, 1, 9)}`;
    case 2:
      return `vps-${hex()}`;
    default:
      return `ip-10-${int(r, 0, 255)}-${int(r, 0, 255)}-${int(r, 1, 254)}`;
  }
}

/** A new persona; `r` is the random source (seedable in tests). */
export function generatePersona(banner: string, r: () => number = Math.random, now = Date.now()): Persona {
  const distro = distroFor(banner, r);
  const { kernel, build } = kernelFor(distro, r);
  const [cpuModel, cpuMhz] = pick(r, CPUS);
  const names = new Set<string>();
  const n = int(r, 1, 3);
  while (names.size < n) names.add(pick(r, FIRST));
  const users = [...names].map((name, i) => ({ name, uid: 1000 + i, gecos: `${name[0]!.toUpperCase()}${name.slice(1)},,,` }));
  const ip = pick(r, [`10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 2, 254)}`, `172.${int(r, 16, 31)}.${int(r, 0, 255)}.${int(r, 2, 254)}`, `192.168.${int(r, 0, 255)}.${int(r, 2, 254)}`]);
  const mac = ["52", "54", "00", ...Array.from({ length: 3 }, () => int(r, 0, 255).toString(16).padStart(2, "0"))].join(":");
  const cpus = pick(r, [1, 2, 2, 4, 4, 8]);
  return {
    version: 1,
    hostname: hostname(r),
    distro,
    kernel,
    kernelBuild: build,
    cpuModel,
    cpuMhz,
    cpus,
    memKb: pick(r, [1, 2, 4, 8, 16]) * 1024 * 1024 - int(r, 60_000, 250_000),
    bootAt: now - int(r, 3, 240) * 86_400_000 - int(r, 0, 86_399) * 1000,
    users,
    ip,
    mac,
    diskGb: pick(r, [20, 25, 40, 50, 80, 160]),
    sshdPid: int(r, 500, 1400),
  };
}

/** The node's persona from <state_dir>/trapd/persona.json, generated there on first start. */
export function loadPersona(stateDir: string, banner: string): Persona {
  const dir = join(stateDir, "trapd");
  const path = join(dir, "persona.json");
  if (existsSync(path)) {
    try {
      const p = JSON.parse(readFileSync(path, "utf8")) as unknown;
      if (Value.Check(Persona, p)) return p;
    } catch {
      // unreadable: a new one replaces it
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = generatePersona(banner);
  writeFileSync(path, `${JSON.stringify(p, null, 2)}\n`, { mode: 0o600 });
  return p;
}

export const DISTRO_NAME: Record<Persona["distro"], { pretty: string; id: string; version: string; codename: string; issue: string }> = {
  debian12: { pretty: "Debian GNU/Linux 12 (bookworm)", id: "debian", version: "12", codename: "bookworm", issue: "Debian GNU/Linux 12 \\n \\l" },
  debian11: { pretty: "Debian GNU/Linux 11 (bullseye)", id: "debian", version: "11", codename: "bullseye", issue: "Debian GNU/Linux 11 \\n \\l" },
  ubuntu2204: { pretty: "Ubuntu 22.04.4 LTS", id: "ubuntu", version: "22.04", codename: "jammy", issue: "Ubuntu 22.04.4 LTS \\n \\l" },
  ubuntu2404: { pretty: "Ubuntu 24.04.1 LTS", id: "ubuntu", version: "24.04", codename: "noble", issue: "Ubuntu 24.04.1 LTS \\n \\l" },
};
