import { closeSync, openSync, rmSync, statSync } from "node:fs";
import { KeysError } from "./errors.ts";

const STALE_MS = 10_000;

/** A create-exclusive lock file; a lock older than 10 s is taken as left by a dead process. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      closeSync(openSync(path, "wx", 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new KeysError("KEYS_IO", `cannot create lock ${path}: ${(e as Error).message}`);
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
      } catch {
        // removed by its owner meanwhile
      }
      if (Date.now() > deadline) throw new KeysError("KEYS_LOCKED", `key store is locked by another process (${path})`);
      await Bun.sleep(20 + Math.random() * 30);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
