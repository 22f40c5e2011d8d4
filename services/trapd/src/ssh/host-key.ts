import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ssh2 from "ssh2";
import { TrapdError } from "../errors.ts";

/**
 * The SSH trap's host key, generated once into <state_dir>/trapd/ssh_host_ed25519_key (0600):
 * a key that changed at every restart would give the trap away.
 */
export function loadHostKey(stateDir: string): string {
  const dir = join(stateDir, "trapd");
  const path = join(dir, "ssh_host_ed25519_key");
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(path)) {
      const pair = ssh2.utils.generateKeyPairSync("ed25519");
      writeFileSync(path, pair.private, { mode: 0o600, flag: "wx" });
      writeFileSync(`${path}.pub`, `${pair.public}\n`, { mode: 0o644 });
    }
    chmodSync(path, 0o600);
    const key = readFileSync(path, "utf8");
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) throw parsed;
    return key;
  } catch (e) {
    throw new TrapdError("TRAPD_HOST_KEY", `cannot load or create the SSH host key ${path}: ${(e as Error).message}`);
  }
}
