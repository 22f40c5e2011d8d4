import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { ServiceName } from "@honeymesh/schema/services";
import { logDir } from "../paths.ts";

const MAX_LOG_BYTES = 20 * 1024 * 1024;

/** Starts one service with its output appended to `<state>/logs/<svc>.log` (rotated once at 20 MiB). */
export function spawnService(name: ServiceName, entry: string, stateDir: string, configArgs: readonly string[], memoryHintMb = 0): Subprocess {
  const dir = logDir(stateDir);
  mkdirSync(dir, { recursive: true });
  const log = join(dir, `${name}.log`);
  if (existsSync(log) && statSync(log).size > MAX_LOG_BYTES) renameSync(log, `${log}.1`);
  const fd = openSync(log, "a", 0o640);
  try {
    return Bun.spawn([process.execPath, entry, ...configArgs], {
      stdin: "ignore",
      stdout: fd,
      stderr: fd,
      // JSC sizes its heap from the machine's RAM; a hint keeps six services' garbage in check.
      env: memoryHintMb > 0 && !process.env.BUN_JSC_forceRAMSize ? { ...process.env, BUN_JSC_forceRAMSize: String(memoryHintMb * 1048576) } : process.env,
    });
  } finally {
    closeSync(fd);
  }
}
