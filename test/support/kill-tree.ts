import { readdirSync, readFileSync } from "node:fs";

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * SIGKILL a process and everything it forked (hydra's tasks, sshd's sessions, the shell that
 * exec'd into nsenter). hydra forks a new task when one ends, so the tree is first frozen with
 * SIGSTOP until a pass finds no new process (a child forked between reading /proc and a kill would
 * otherwise outlive its parent), then killed. By pid, never by name: other people's processes
 * share this machine.
 */
export function killTree(root: number): void {
  const seen = new Set<number>();
  for (let pass = 0; pass < 20; pass++) {
    const kids = children();
    const before = seen.size;
    const walk = (p: number) => {
      if (!seen.has(p)) {
        seen.add(p);
        signal(p, "SIGSTOP");
      }
      for (const c of kids.get(p) ?? []) walk(c);
    };
    walk(root);
    if (seen.size === before) break;
  }
  for (const p of [...seen].reverse()) signal(p, "SIGKILL");
}
