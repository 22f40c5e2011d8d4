import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { createLogger } from "@honeymesh/telemetry/logger";
import { CliError } from "../errors.ts";
import { logDir, pidFile, REPO_ROOT } from "../paths.ts";
import { isAlive } from "../supervisor/status-file.ts";
import { supervise } from "../supervisor/supervisor.ts";
import { statusCommand, statusView } from "./status.ts";

export function supervisorPid(stateDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(stateDir), "utf8").trim());
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function upCommand(config: FrozenConfig, nodeId: string, configArgs: string[], foreground: boolean): Promise<number> {
  // Nothing `up` or its services create is for other users (the supervisor sets it again).
  process.umask(0o027);
  const running = supervisorPid(config.node.state_dir);
  if (running) throw new CliError("ALREADY_RUNNING", `HoneyMesh is already running (supervisor pid ${running}); see: honeymesh status`);
  if (foreground) {
    await supervise(config, nodeId, configArgs, createLogger("honeymesh", config.node.log_level));
    return -1; // stays attached until a signal ends it
  }
  mkdirSync(logDir(config.node.state_dir), { recursive: true });
  const fd = openSync(join(logDir(config.node.state_dir), "supervisor.log"), "a", 0o640);
  const child = Bun.spawn([process.execPath, join(REPO_ROOT, "cli", "src", "main.ts"), "up", "--foreground", ...configArgs], {
    stdin: "ignore",
    stdout: fd,
    stderr: fd,
    env: process.env,
    detached: true,
  });
  closeSync(fd);
  child.unref();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await Bun.sleep(250);
    if (child.exitCode !== null) throw new CliError("START_FAILED", `the supervisor exited (${child.exitCode}); see ${join(logDir(config.node.state_dir), "supervisor.log")}`);
    const view = statusView(config);
    if (view.running && view.services.every((s) => s.healthy)) break;
  }
  return statusCommand(config, false);
}
