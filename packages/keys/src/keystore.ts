import { createPrivateKey, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from "jose";
import { KeysError } from "./errors.ts";
import { withFileLock } from "./lock.ts";

export const ALG = "EdDSA";

export interface SigningKey {
  kid: string;
  identity: string;
  /** For jose (tokens). */
  key: CryptoKey;
  /** The same key for node:crypto's synchronous Ed25519 (the bus's per-message signatures). */
  node: KeyObject;
}

export function keysDir(stateDir: string): string {
  return join(stateDir, "keys");
}

/** `<svc>@<nodeId>`: DESIGN §2's key id. */
export function kidOf(identity: string, nodeId: string): string {
  return `${identity}@${nodeId}`;
}

/**
 * Makes sure every identity has an Ed25519 key (0600) and that jwks.json lists every public key.
 * Safe to call from several processes at once: the first creates, the others reuse.
 */
export async function ensureKeys(stateDir: string, nodeId: string, identities: readonly string[]): Promise<void> {
  const dir = keysDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const jwksPath = join(dir, "jwks.json");
  const complete = () => existsSync(jwksPath) && identities.every((id) => existsSync(join(dir, `${id}.jwk`)) && jwksHas(jwksPath, kidOf(id, nodeId)));
  if (complete()) return;
  await withFileLock(join(dir, ".lock"), async () => {
    if (complete()) return;
    for (const id of identities) {
      const path = join(dir, `${id}.jwk`);
      if (existsSync(path)) continue;
      const { privateKey } = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
      const jwk = { ...(await exportJWK(privateKey)), kid: kidOf(id, nodeId), alg: ALG };
      writeAtomic(path, JSON.stringify(jwk), 0o600);
    }
    // Public, but only the node's own users need it (group honeymesh under root, LAYOUT "Keys").
    writeAtomic(jwksPath, JSON.stringify(buildJwks(dir, nodeId, identities)), 0o640);
  });
}

function buildJwks(dir: string, nodeId: string, identities: readonly string[]): JSONWebKeySet {
  const keys: JWK[] = [];
  for (const id of identities) {
    const { d: _private, ...pub } = readJwk(join(dir, `${id}.jwk`));
    keys.push({ ...pub, kid: kidOf(id, nodeId), alg: ALG, use: "sig" });
  }
  return { keys };
}

function jwksHas(path: string, kid: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as JSONWebKeySet).keys.some((k) => k.kid === kid);
  } catch {
    return false;
  }
}

function readJwk(path: string): JWK {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as JWK;
  } catch (e) {
    throw new KeysError("KEYS_INVALID", `key file ${path} is unreadable: ${(e as Error).message}`);
  }
}

function writeAtomic(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

export async function loadSigningKey(stateDir: string, identity: string, nodeId: string): Promise<SigningKey> {
  const path = join(keysDir(stateDir), `${identity}.jwk`);
  if (!existsSync(path)) throw new KeysError("KEYS_MISSING", `no key for ${identity} at ${path}`);
  const jwk = readJwk(path);
  const key = (await importJWK(jwk, ALG)) as CryptoKey;
  const node = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x: String(jwk.x), d: String(jwk.d) }, format: "jwk" });
  return { kid: kidOf(identity, nodeId), identity, key, node };
}

export function readJwks(stateDir: string): JSONWebKeySet {
  const path = join(keysDir(stateDir), "jwks.json");
  try {
    return JSON.parse(readFileSync(path, "utf8")) as JSONWebKeySet;
  } catch (e) {
    throw new KeysError("KEYS_MISSING", `cannot read ${path}: ${(e as Error).message}`);
  }
}
