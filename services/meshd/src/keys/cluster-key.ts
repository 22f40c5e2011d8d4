import { readFileSync, statSync } from "node:fs";
import { generateKey } from "@libp2p/pnet";
import { MeshError } from "../errors.ts";

/** The private-network key format of @libp2p/pnet (the go-ipfs swarm.key format). */
const FORMAT = /^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}\s*$/;

/** A fresh cluster key, as `honeymesh mesh keygen` writes it. */
export function newClusterKey(): Uint8Array {
  const key = new Uint8Array(95);
  generateKey(key);
  return key;
}

/**
 * Reads a cluster key file: the exact pnet format, and not readable by other users (anyone
 * holding it can join the cluster). Throws MeshError("MESH_KEY") saying what is wrong.
 */
export function readClusterKey(path: string): Uint8Array {
  let bytes: Buffer;
  try {
    if ((statSync(path).mode & 0o077) !== 0) throw new Error("it is readable by group or others (chmod 600 it)");
    bytes = readFileSync(path);
  } catch (e) {
    throw new MeshError("MESH_KEY", `cluster key file ${path}: ${(e as Error).message}`);
  }
  if (bytes.length > 256 || !FORMAT.test(bytes.toString("utf8"))) {
    throw new MeshError("MESH_KEY", `cluster key file ${path} is not a pnet key (write one with \`honeymesh mesh keygen --out ${path}\`)`);
  }
  return new Uint8Array(bytes);
}
