import { createPublicKey, type KeyObject } from "node:crypto";
import { importJWK, type CryptoKey, type JSONWebKeySet } from "jose";

export interface RingKey {
  /** For jose (connect tokens). */
  crypto: CryptoKey;
  /** For the per-message path: node:crypto verifies synchronously, with no thread hop. */
  node: KeyObject;
}

/**
 * Public keys by kid, imported once. An unknown kid triggers a reload of the JWKS, at most once
 * a second, so a new service's key is picked up but a flood of bogus kids costs nothing.
 */
export class KeyRing {
  private keys = new Map<string, RingKey>();
  private lastLoad = 0;
  private loading: Promise<void> | undefined;

  constructor(private readonly source: () => JSONWebKeySet) {}

  async get(kid: string): Promise<RingKey | undefined> {
    const hit = this.keys.get(kid);
    if (hit) return hit;
    if (Date.now() - this.lastLoad < 1000) return undefined;
    this.loading ??= this.reload().finally(() => (this.loading = undefined));
    await this.loading;
    return this.keys.get(kid);
  }

  async reload(): Promise<void> {
    this.lastLoad = Date.now();
    let set: JSONWebKeySet;
    try {
      set = this.source();
    } catch {
      return;
    }
    const next = new Map<string, RingKey>();
    for (const jwk of set.keys) {
      if (typeof jwk.kid !== "string" || jwk.kty !== "OKP" || jwk.crv !== "Ed25519") continue;
      try {
        const pub = { ...jwk, d: undefined };
        next.set(jwk.kid, { crypto: (await importJWK(pub, "EdDSA")) as CryptoKey, node: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: String(jwk.x) }, format: "jwk" }) });
      } catch {
        // a broken entry is skipped; messages under its kid fail as unknown_key
      }
    }
    this.keys = next;
  }
}
