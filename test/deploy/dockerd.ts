// A private dockerd for the compose test: Debian's docker.io started inside a network namespace
// this test made (nsenter --net, not `ip netns exec`, which remounts /sys and hides cgroups and bpffs) (so "host networking" means that namespace, never the machine's), with its own
// data-root, exec-root, pidfile and socket under a temp dir. stop() ends it by pid and removes it all.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { sh } from "./nspawn-machine.ts";

export class PrivateDockerd {
  readonly suffix = randomBytes(2).toString("hex");
  readonly dir = `/tmp/hm-deploy-dk-${this.suffix}`;
  readonly sock = join(this.dir, "docker.sock");
  readonly host = `unix://${this.sock}`;
  private proc: ReturnType<typeof Bun.spawn> | undefined;

  constructor(readonly netns: string) {}

  async start(timeoutMs = 60_000): Promise<void> {
    for (const d of ["data", "exec"]) mkdirSync(join(this.dir, d), { recursive: true });
    const log = openSync(join(this.dir, "dockerd.log"), "a");
    this.proc = Bun.spawn(
      ["nsenter", `--net=/run/netns/${this.netns}`, "dockerd", "--host", this.host, "--data-root", join(this.dir, "data"), "--exec-root", join(this.dir, "exec"),
        "--pidfile", join(this.dir, "dockerd.pid"), "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--userland-proxy=false", "--storage-driver=overlay2"],
      { stdin: "ignore", stdout: log, stderr: log },
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (existsSync(this.sock) && this.docker(["version", "--format", "{{.Server.Version}}"], true).code === 0) return;
      if (this.proc.exitCode !== null) break;
      await Bun.sleep(300);
    }
    throw new Error(`dockerd did not start:\n${this.log()}`);
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, "dockerd.log"), "utf8").slice(-4000);
    } catch {
      return "";
    }
  }

  docker(args: string[], allowFail = false) {
    return sh(["/usr/bin/docker", "-H", this.host, ...args], { allowFail });
  }

  version(): string {
    return this.docker(["version", "--format", "{{.Server.Version}}"]).out.trim();
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      // Containers first, so that nothing keeps mounts under the data root busy.
      const ids = this.docker(["ps", "-aq"], true).out.split("\n").filter(Boolean);
      if (ids.length) this.docker(["rm", "-f", ...ids], true);
      this.proc.kill("SIGTERM");
      const done = await Promise.race([this.proc.exited.then(() => true), Bun.sleep(20_000).then(() => false)]);
      if (!done) this.proc.kill("SIGKILL");
      await this.proc.exited;
    }
    // Anything dockerd mounted under its roots (overlay layers, netns files, shm).
    const mounts = readFileSync("/proc/self/mounts", "utf8").split("\n").map((l) => l.split(" ")[1] ?? "").filter((m) => m.startsWith(this.dir));
    for (const m of mounts.reverse()) sh(["umount", "-l", m], { allowFail: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
