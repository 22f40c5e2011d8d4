// A Debian machine booted with systemd-nspawn for the deployment test: an overlay over the cached
// debootstrap root (the cache stays pristine), a private bpffs bound at /sys/fs/bpf, a veth pair
// (--network-veth), bpf(2)/perf_event_open(2) let through nspawn's seccomp filter and CAP_BPF /
// CAP_PERFMON granted. Everything it makes is named hm-deploy-<suffix> / hmdeploy<suffix> and is
// removed by dispose(), which never throws and is safe to call twice.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Run {
  code: number;
  out: string;
  err: string;
}

export function sh(cmd: string[], opts: { input?: string; allowFail?: boolean } = {}): Run {
  const p = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe", stdin: opts.input === undefined ? "ignore" : new TextEncoder().encode(opts.input) });
  const r = { code: p.exitCode ?? -1, out: p.stdout.toString(), err: p.stderr.toString() };
  if (r.code !== 0 && !opts.allowFail) throw new Error(`${cmd.join(" ")} exited ${r.code}:\n${r.out}${r.err}`);
  return r;
}

const CGROUP_V1 = "/sys/fs/cgroup/systemd";
const CGROUP_V2 = "/sys/fs/cgroup/unified";

export class NspawnMachine {
  readonly suffix = randomBytes(2).toString("hex");
  readonly name = `hmdeploy${this.suffix}`;
  /** nspawn names the host side ve-<machine> (15 characters at most). */
  readonly hostIf = `ve-${this.name}`.slice(0, 15);
  readonly dir: string;
  readonly root: string;
  readonly bpffs: string;
  readonly log: string;
  private readonly cgroups: string[] = [];
  private proc: ReturnType<typeof Bun.spawn> | undefined;
  leader = 0;

  constructor(private readonly lower: string) {
    this.dir = `/tmp/hm-deploy-${this.suffix}`;
    this.root = join(this.dir, "root");
    this.bpffs = join(this.dir, "bpffs");
    this.log = join(this.dir, "console.log");
  }

  /** Overlay root (writable copy-on-write over the cache) and the private bpffs. */
  prepare(): void {
    for (const d of ["upper", "work", "root", "bpffs"]) mkdirSync(join(this.dir, d), { recursive: true });
    sh(["mount", "-t", "overlay", `hm-deploy-${this.suffix}`, "-o", `lowerdir=${this.lower},upperdir=${this.dir}/upper,workdir=${this.dir}/work`, this.root]);
    sh(["mount", "-t", "bpf", `hm-deploy-bpffs-${this.suffix}`, this.bpffs]);
  }

  /** Runs a command chrooted into the (not yet booted) root with /proc and /dev mounted. */
  chroot(cmd: string[]): Run {
    const script = `mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && shift && exec chroot "$@"`;
    return sh(["unshare", "--mount", "--propagation", "private", "--fork", "sh", "-c", script, "chroot", this.root, this.root, ...cmd]);
  }

  /**
   * Boots. This VM's PID 1 is not systemd and its cgroups are hybrid: nspawn wants to run in
   * a cgroup of its own in both hierarchies, so the shell that execs it moves itself first.
   */
  async boot(timeoutMs = 90_000): Promise<void> {
    for (const base of [CGROUP_V1, CGROUP_V2]) {
      if (!existsSync(base)) continue;
      const cg = join(base, `hm-deploy-${this.suffix}`);
      mkdirSync(cg, { recursive: true });
      this.cgroups.push(cg);
    }
    const moves = this.cgroups.map((cg) => `echo $$ > ${cg}/cgroup.procs`).join(" && ");
    const nspawn = [
      "systemd-nspawn", "--quiet", "--register=no", "--keep-unit", "-b", "-D", this.root, "-M", this.name,
      "--network-veth", "--capability=CAP_BPF,CAP_PERFMON", "--system-call-filter=bpf perf_event_open",
      `--bind=${this.bpffs}:/sys/fs/bpf`, "--console=pipe",
    ].map((a) => `'${a}'`).join(" ");
    writeFileSync(this.log, "");
    this.proc = Bun.spawn(["bash", "-c", `${moves}${moves ? " && " : ""}exec ${nspawn} >>${this.log} 2>&1`], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.leader = this.findLeader();
      if (this.leader) {
        const r = sh(["nsenter", "-t", String(this.leader), "-a", "systemctl", "is-system-running"], { allowFail: true });
        // "degraded" is a booted system with some unrelated unit failed (minbase has a few).
        if (/^(running|degraded)/.test(r.out.trim())) return;
      }
      if (this.proc.exitCode !== null) break;
      await Bun.sleep(500);
    }
    throw new Error(`the machine did not boot (nspawn exit ${this.proc.exitCode}); console:\n${await Bun.file(this.log).text()}`);
  }

  /** The container's PID 1: the process whose root is our overlay and whose parent is nspawn's child tree. */
  private findLeader(): number {
    if (!this.proc) return 0;
    const walk = (pid: number, depth: number): number => {
      if (depth > 3) return 0;
      let children: string[] = [];
      try {
        children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      } catch {
        return 0;
      }
      for (const c of children.map(Number)) {
        try {
          const status: string = readFileSync(`/proc/${c}/status`, "utf8");
          // NSpid has two entries for a process in a child PID namespace; 1 there is the init.
          if (/^NSpid:\s+\d+\s+1$/m.test(status)) return c;
        } catch {
          continue;
        }
        const deeper = walk(c, depth + 1);
        if (deeper) return deeper;
      }
      return 0;
    };
    return walk(this.proc.pid, 0);
  }

  /** A command inside the booted machine (all namespaces of its PID 1). */
  exec(cmd: string[], opts: { allowFail?: boolean } = {}): Run {
    return sh(["nsenter", "-t", String(this.leader), "-a", ...cmd], opts);
  }

  async dispose(): Promise<void> {
    try {
      if (this.leader) {
        try {
          process.kill(this.leader, "SIGKILL");
        } catch {
          // already gone
        }
      }
      if (this.proc) {
        const exited = await Promise.race([this.proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
        if (!exited) this.proc.kill("SIGKILL");
        await this.proc.exited;
      }
    } finally {
      sh(["ip", "link", "del", this.hostIf], { allowFail: true });
      for (const m of [join(this.root, "sys/fs/bpf"), this.root, this.bpffs]) sh(["umount", "-l", m], { allowFail: true });
      // nspawn makes sub-cgroups (payload, supervisor): remove depth-first.
      for (const cg of this.cgroups) sh(["find", cg, "-depth", "-type", "d", "-exec", "rmdir", "{}", ";"], { allowFail: true });
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
