import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { ApidError } from "../errors.ts";

export interface ApiKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export const apidDir = (stateDir: string) => join(stateDir, "apid");

/**
 * apid's own Ed25519 key for API tokens, kept apart from its bus key (<state_dir>/keys/apid.jwk):
 * rotating one must not invalidate the other, and the bus key's JWKS is shared with every service.
 */
export async function loadOrCreateApiKey(stateDir: string): Promise<ApiKeyPair> {
  const dir = apidDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, "api.jwk");
  if (!existsSync(path)) {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: "EdDSA" };
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(jwk), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(path, "utf8")) as JWK;
  } catch (e) {
    throw new ApidError("KEY", `API key ${path} is unreadable: ${(e as Error).message}`);
  }
  const { d: _secret, ...pub } = jwk;
  return { privateKey: (await importJWK(jwk, "EdDSA")) as CryptoKey, publicKey: (await importJWK(pub, "EdDSA")) as CryptoKey };
}
