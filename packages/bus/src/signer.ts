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
    return this.signOne(itemJson(d, tp));
  }

  /** One item (`itemJson`) in the one-body form: its `tp` and `d` become top-level claims. */
  signOne(item: string): string {
    return this.signJson(item.slice(1, -1));
  }

  /**
   * One signature over a batch of bodies already serialised by `itemJson` (the batcher measures
   * their size before it decides what fits).
   */
  signBatch(items: readonly string[]): string {
    return this.signJson(`"b":[${items.join(",")}]`);
  }

  /** Bytes of claims around the body or batch: iss, iat, exp, jti and punctuation. */
  get overhead(): number {
    return this.key.identity.length + 80;
  }

  private signJson(body: string): string {
    const iat = Math.floor(Date.now() / 1000);
    // A random per-process prefix plus a counter: unique without a random draw per message.
    const jti = `${this.prefix}${(this.seq++).toString(36)}`;
    const claims = `{"iss":${JSON.stringify(this.key.identity)},"iat":${iat},"exp":${iat + this.ttlS},"jti":"${jti}",${body}}`;
    const input = `${this.header}.${Buffer.from(claims).toString("base64url")}`;
    return `${input}.${sign(null, Buffer.from(input), this.key.node).toString("base64url")}`;
  }
}

/** One batch item as JSON: `{"d":…}` or `{"tp":…,"d":…}`. */
export function itemJson(d: unknown, tp?: string): string {
  return tp ? `{"tp":${JSON.stringify(tp)},"d":${JSON.stringify(d)}}` : `{"d":${JSON.stringify(d)}}`;
}
