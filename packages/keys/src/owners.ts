import { chmodSync, chownSync, existsSync } from "node:fs";
import { join } from "node:path";
import { keysDir } from "./keystore.ts";

/**
 * Gives each identity's private key to the user that runs it, readable by nobody else (0600),
 * and the public key set to the node group (0640): LAYOUT "Keys". Identities without an owner
 * (the operator CLI's `honeymesh`) stay with the caller, root. Only meaningful as root.
 */
export function assignKeyOwners(stateDir: string, owners: ReadonlyMap<string, number>, gid: number): void {
  const dir = keysDir(stateDir);
  chownSync(dir, 0, gid);
  chmodSync(dir, 0o750);
  const jwks = join(dir, "jwks.json");
  if (existsSync(jwks)) {
    chownSync(jwks, 0, gid);
    chmodSync(jwks, 0o640);
  }
  for (const [identity, uid] of owners) {
    const path = join(dir, `${identity}.jwk`);
    if (!existsSync(path)) continue;
    chownSync(path, uid, gid);
    chmodSync(path, 0o600);
  }
}
