import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@honeymesh/config/errors";
import { loadConfig } from "@honeymesh/config/load";
import type { GuardSettings } from "./shared.ts";

/** The `[guard]` section as the node's config file carries it (env: HONEYMESH_GUARD_PORTS, HONEYMESH_GUARD_MAX_NEW_PER_MIN). */
export function guardToml(g: GuardSettings): string {
  return `[guard]\nports = [${g.ports.join(", ")}]\nmax_new_per_min = ${g.maxNewPerMin}\n`;
}

/**
 * Whether this build's config parser accepts the `[guard]` section: the same parser every service
 * runs at start, so a section it rejects would stop the node. Returns the parser's reason if not.
 */
export function guardSupport(g: GuardSettings): { ok: true } | { ok: false; reason: string } {
  const dir = mkdtempSync(join(tmpdir(), "hm-bruteforce-guard-"));
  try {
    const path = join(dir, "guard.toml");
    writeFileSync(path, guardToml(g));
    loadConfig({ path, explicit: true, env: {}, defaultStateDir: dir, defaultRuntimeDir: dir });
    return { ok: true };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, reason: e.message };
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
