// A minimal Debian root for the deployment tests (systemd under nspawn, the compose base image),
// made once with debootstrap and cached between runs under /var/cache/honeymesh-test/, keyed by a
// hash of what goes into it: change the package list and a fresh root is made.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

export const CACHE_DIR = "/var/cache/honeymesh-test";
const SUITE = "bookworm";
const MIRROR = "http://deb.debian.org/debian";
/** What the installed .deb needs at run time (libbpf1) plus a booting systemd and the tools the test asserts with. */
export const ROOT_PACKAGES = ["systemd", "systemd-sysv", "dbus", "libbpf1", "iproute2"];

export function rootKey(): string {
  const spec = `${SUITE} minbase ${MIRROR} ${ROOT_PACKAGES.join(",")}`;
  return createHash("sha256").update(spec).digest("hex").slice(0, 16);
}

/** Path of the cached root, building it when missing (a few minutes once; instant when warm). */
export function debianRoot(log: (line: string) => void = () => {}): string {
  const dir = join(CACHE_DIR, `debian-${rootKey()}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  const debootstrap = Bun.which("debootstrap");
  if (!debootstrap) throw new Error("debootstrap is not installed (apt-get install debootstrap; scripts/setup.sh --test)");
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  log(`debootstrap ${SUITE} into ${tmp} (cold cache)`);
  const p = Bun.spawnSync([debootstrap, "--variant=minbase", `--include=${ROOT_PACKAGES.join(",")}`, SUITE, tmp, MIRROR], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (p.exitCode !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`debootstrap failed (${p.exitCode}): ${p.stderr.toString().slice(-2000)}`);
  }
  // Nothing may be downloaded later: keep the root small and the cache read-only in spirit.
  rmSync(join(tmp, "var/cache/apt/archives"), { recursive: true, force: true });
  mkdirSync(join(tmp, "var/cache/apt/archives/partial"), { recursive: true });
  Bun.write(join(tmp, ".complete"), `${new Date().toISOString()}\n`);
  renameSync(tmp, dir);
  return dir;
}

if (import.meta.main) console.log(debianRoot(console.log));
