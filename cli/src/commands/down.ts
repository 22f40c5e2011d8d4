import type { FrozenConfig } from "@honeymesh/config/schema";
import { statusFile } from "../paths.ts";
import { isAlive, readStatus } from "../supervisor/status-file.ts";
import { supervisorPid } from "./up.ts";

/** SIGTERM to the supervisor (which stops services, then the broker); SIGKILL whatever outlives the grace. */
export async function downCommand(config: FrozenConfig, graceMs = 15_000): Promise<number> {
  const pid = supervisorPid(config.node.state_dir);
  const st = readStatus(statusFile(config.node.state_dir));
  const children = Object.values(st?.services ?? {}).map((s) => s.pid).filter((p): p is number => Boolean(p));
  if (!pid) {
    const orphans = children.filter(isAlive);
    for (const p of orphans) process.kill(p, "SIGKILL");
    process.stdout.write(orphans.length ? `HoneyMesh was not running; killed ${orphans.length} orphaned service(s)\n` : "HoneyMesh is not running\n");
    return 0;
  }
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await Bun.sleep(100);
  const left = [pid, ...children].filter(isAlive);
  for (const p of left) process.kill(p, "SIGKILL");
  process.stdout.write(left.length ? `HoneyMesh stopped (${left.length} process(es) needed SIGKILL)\n` : "HoneyMesh stopped\n");
  return 0;
}
