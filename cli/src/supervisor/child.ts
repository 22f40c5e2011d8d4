import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { ServiceName } from "@honeymesh/schema/services";
import { engineEnv } from "@honeymesh/runtime/engine-env";
import { logDir } from "../paths.ts";

const MAX_LOG_BYTES = 20 * 1024 * 1024;

/**
 * Starts one service with its output appended to `<state>/logs/<svc>.log` (rotated once at 20 MiB).
 * `prefix` is the privilege wrapper (setpriv …) when the supervisor runs as root.
 */
export function spawnService(name: ServiceName, entry: string, stateDir: string, configArgs: readonly string[], memoryHintMb = 0, prefix: readonly string[] = []): Subprocess {
  const dir = logDir(stateDir);
  mkdirSync(dir, { recursive: true });
  const log = join(dir, `${name}.log`);
  if (existsSync(log) && statSync(log).size > MAX_LOG_BYTES) renameSync(log, `${log}.1`);
  const fd = openSync(log, "a", 0o640);
  const env: Record<string, string | undefined> = { ...process.env };
  // JSC sizes its heap from the machine's RAM; a hint keeps six services' garbage in check. The
  // service's own engine settings (runtime/engine-env) too; what the operator set wins.
  for (const [k, v] of Object.entries(engineEnv(name, memoryHintMb))) if (process.env[k] === undefined) env[k] = v;
  if (prefix.length > 0) {
    // A service user has no home: Bun must not try to keep caches under root's.
    env.HOME = "/nonexistent";
    env.BUN_RUNTIME_TRANSPILER_CACHE_PATH = "0";
  }
  try {
    return Bun.spawn([...prefix, process.execPath, entry, ...configArgs], {
      stdin: "ignore",
      stdout: fd,
      stderr: fd,
      env,
    });
  } finally {
    closeSync(fd);
  }
}
