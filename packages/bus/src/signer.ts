import { sign } from "node:crypto";
import type { SigningKey } from "@honeymesh/keys/keystore";

/**
 * Signs bus bodies as compact JWS (RFC 7515, alg EdDSA) with DESIGN §2's claims. The format is
 * exactly what jose produces and verifies; the signature itself is node:crypto's synchronous
 * Ed25519, because WebCrypto's asynchronous sign adds a thread hop (~1.5 ms at low rates).
 */
export class Signer {
  private seq = 0;
  private readonly prefix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  private readonly header: string;

  constructor(
    private readonly key: SigningKey,
    private readonly ttlS: number,
  ) {
    this.header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid: key.kid })).toString("base64url");
  }

  get identity(): string {
    return this.key.identity;
  }

  async sign(d: unknown, tp?: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    // A random per-process prefix plus a counter: unique without a random draw per message.
    const jti = `${this.prefix}${(this.seq++).toString(36)}`;
    const claims = tp ? { iss: this.key.identity, iat, exp: iat + this.ttlS, jti, tp, d } : { iss: this.key.identity, iat, exp: iat + this.ttlS, jti, d };
    const input = `${this.header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
    return `${input}.${sign(null, Buffer.from(input), this.key.node).toString("base64url")}`;
  }
}
