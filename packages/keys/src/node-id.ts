import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const VALID = /^[A-Za-z0-9._-]{1,64}$/;

/** The node id: the configured one, else one generated on first start and kept in the state dir. */
export function ensureNodeId(stateDir: string, configured: string): string {
  if (configured) return configured;
  const path = join(stateDir, "node-id");
  try {
    const existing = readFileSync(path, "utf8").trim();
    if (VALID.test(existing)) return existing;
  } catch {
    // absent on first start: generated below
  }
  mkdirSync(stateDir, { recursive: true });
  const id = `hm-${crypto.randomUUID().slice(0, 8)}`;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${id}\n`, { mode: 0o640 });
  try {
    // Two processes may race on first start; link-like semantics keep the first writer's id.
    const current = readFileSync(path, "utf8").trim();
    if (VALID.test(current)) return current;
  } catch {
    // still absent: ours wins
  }
  renameSync(tmp, path);
  return readFileSync(path, "utf8").trim();
}
