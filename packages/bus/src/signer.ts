import { CompactSign } from "jose";
import type { SigningKey } from "@honeymesh/keys/keystore";

const encoder = new TextEncoder();

/** Signs bus bodies as compact JWS (EdDSA) with DESIGN §2's claims. */
export class Signer {
  private seq = 0;
  private readonly prefix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);

  constructor(
    private readonly key: SigningKey,
    private readonly ttlS: number,
  ) {}

  get identity(): string {
    return this.key.identity;
  }

  async sign(d: unknown, tp?: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    // A random per-process prefix plus a counter: unique without a random draw per message.
    const jti = `${this.prefix}${(this.seq++).toString(36)}`;
    const claims = tp ? { iss: this.key.identity, iat, exp: iat + this.ttlS, jti, tp, d } : { iss: this.key.identity, iat, exp: iat + this.ttlS, jti, d };
    return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader({ alg: "EdDSA", kid: this.key.kid }).sign(this.key.key);
  }
}
