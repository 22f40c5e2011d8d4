import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ssh2 from "ssh2";
import { TrapdError } from "../errors.ts";

/**
 * About 1 in 200 Ed25519 pairs from ssh2's generateKeyPairSync under Bun come out with a 31-byte
 * public key (a leading zero byte lost on the way), which ssh2's own parser then refuses
 * ("Malformed OpenSSH private key"): the SSH trap could not listen. A pair is only kept once it
 * parses.
 */
function generate(): { private: string; public: string } {
  for (let i = 0; i < 32; i++) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519");
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error("no parseable Ed25519 key in 32 attempts");
}

/**
 * The SSH trap's host key, generated once into <state_dir>/trapd/ssh_host_ed25519_key (0600):
 * a key that changed at every restart would give the trap away. A stored key that does not parse
 * (one written by the bug above) is set aside as `.malformed` and replaced: it never worked.
 */
export function loadHostKey(stateDir: string): string {
  const dir = join(stateDir, "trapd");
  const path = join(dir, "ssh_host_ed25519_key");
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (existsSync(path) && ssh2.utils.parseKey(readFileSync(path, "utf8")) instanceof Error) renameSync(path, `${path}.malformed`);
    if (!existsSync(path)) {
      const pair = generate();
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
