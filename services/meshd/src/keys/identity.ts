import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import { MeshError } from "../errors.ts";

const newEd25519 = () => generateKeyPair("Ed25519");
export type IdentityKey = Awaited<ReturnType<typeof newEd25519>>;

/**
 * The node's libp2p identity (Ed25519), created once in `<state_dir>/meshd/identity.key`
 * (mode 0600, directory 0700). Its peer id is how other nodes name and trust this one.
 */
export async function loadIdentity(dir: string): Promise<IdentityKey> {
  const path = join(dir, "identity.key");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    try {
      const key = privateKeyFromProtobuf(readFileSync(path));
      if (key.type !== "Ed25519") throw new Error(`key type ${key.type}, expected Ed25519`);
      return key as IdentityKey;
    } catch (e) {
      throw new MeshError("MESH_IDENTITY", `cannot read the mesh identity ${path}: ${(e as Error).message}`);
    }
  }
  const key = await newEd25519();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, privateKeyToProtobuf(key), { mode: 0o600 });
  renameSync(tmp, path);
  return key;
}
