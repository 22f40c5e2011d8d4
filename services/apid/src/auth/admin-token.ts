import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apidDir } from "./api-key.ts";
import type { Tokens } from "./tokens.ts";

export const adminTokenPath = (stateDir: string) => join(apidDir(stateDir), "admin.token");

/**
 * The first admin token: made when there is no working one in the state dir (first start, or
 * after the operator deleted the file to get a new one), written 0600 for the CLI on this node.
 * Returns where it went (never the token: nothing may log it); undefined when the file's token still works.
 */
export async function ensureAdminToken(stateDir: string, tokens: Tokens): Promise<{ path: string } | undefined> {
  const path = adminTokenPath(stateDir);
  if (existsSync(path)) {
    const current = readFileSync(path, "utf8").trim();
    const p = await tokens.verifyBearer(current);
    if (p?.scope === "admin") return undefined;
  }
  const made = await tokens.createBearer("admin (first start)", "admin", 0);
  if (!made) return undefined;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${made.token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return { path };
}
