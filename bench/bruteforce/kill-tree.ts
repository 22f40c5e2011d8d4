import { readdirSync, readFileSync } from "node:fs";

/**
 * SIGKILL a process and everything it forked (hydra's tasks, sshd's sessions, the shell that
 * exec'd into nsenter), leaves first. By pid, never by name: other people's processes share this
 * machine.
 */
export function killTree(root: number): void {
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
  const all: number[] = [];
  const walk = (p: number) => {
    all.push(p);
    for (const c of kids.get(p) ?? []) walk(c);
  };
  walk(root);
  for (const p of all.reverse()) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
