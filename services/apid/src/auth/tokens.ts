import { createHash, randomBytes } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
import type { ApiKeyPair } from "./api-key.ts";
import { MAX_TOKENS, type Scope, type TokenRow, type TokenStore } from "./token-store.ts";

export interface Principal {
  id: string;
  name: string;
  scope: TokenRow["scope"];
}

const AUDIENCE = "honeymesh-api";
const CACHE_MAX = 4096;
const RANK: Record<TokenRow["scope"], number> = { bouncer: 0, read: 1, write: 2, admin: 3 };

export function allows(have: TokenRow["scope"], need: Scope): boolean {
  return have !== "bouncer" && RANK[have] >= RANK[need];
}

export const sha256Hex = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Issues and checks API credentials. A bearer token is an EdDSA JWT (RFC 8037) whose signature
 * is checked once and then cached by its exact text; its id is looked up on every request so a
 * revocation takes effect at once. Bouncer keys are compared through their SHA-256 digest: any
 * timing difference can then reveal only digest bytes, which do not help guess a key.
 */
export class Tokens {
  private readonly verified = new Map<string, { id: string; exp: number }>();

  constructor(
    private readonly keys: ApiKeyPair,
    private readonly store: TokenStore,
    private readonly issuer: string,
  ) {}

  async createBearer(name: string, scope: Scope, ttlS: number, now = Date.now()): Promise<{ row: TokenRow; token: string } | undefined> {
    const row: TokenRow = { id: crypto.randomUUID(), name, kind: "bearer", scope, secretHash: "", createdAt: now, expiresAt: ttlS > 0 ? now + ttlS * 1000 : 0, revokedAt: 0 };
    let jwt = new SignJWT({ scope }).setProtectedHeader({ alg: "EdDSA", typ: "JWT" }).setIssuer(this.issuer).setAudience(AUDIENCE).setSubject(name).setJti(row.id).setIssuedAt(Math.floor(now / 1000));
    if (row.expiresAt) jwt = jwt.setExpirationTime(Math.floor(row.expiresAt / 1000));
    const token = await jwt.sign(this.keys.privateKey);
    return this.store.insert(row) ? { row, token } : undefined;
  }

  createBouncer(name: string, ttlS: number, now = Date.now()): { row: TokenRow; token: string } | undefined {
    const token = `hmb_${randomBytes(32).toString("base64url")}`;
    const row: TokenRow = { id: crypto.randomUUID(), name, kind: "bouncer", scope: "bouncer", secretHash: sha256Hex(token), createdAt: now, expiresAt: ttlS > 0 ? now + ttlS * 1000 : 0, revokedAt: 0 };
    return this.store.insert(row) ? { row, token } : undefined;
  }

  /** The principal of a bearer token, or undefined for anything that is not a live token of ours. */
  async verifyBearer(token: string, now = Date.now()): Promise<Principal | undefined> {
    if (token.length > 2048) return undefined;
    let hit = this.verified.get(token);
    if (!hit) {
      try {
        const { payload } = await jwtVerify(token, this.keys.publicKey, { issuer: this.issuer, audience: AUDIENCE, algorithms: ["EdDSA"] });
        if (typeof payload.jti !== "string") return undefined;
        hit = { id: payload.jti, exp: typeof payload.exp === "number" ? payload.exp * 1000 : 0 };
      } catch {
        return undefined;
      }
      if (this.verified.size >= CACHE_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, hit);
    }
    if (hit.exp !== 0 && hit.exp <= now) return undefined;
    const row = this.store.live(hit.id, now);
    return row && row.kind === "bearer" ? { id: row.id, name: row.name, scope: row.scope } : undefined;
  }

  verifyBouncer(key: string, now = Date.now()): Principal | undefined {
    if (key.length === 0 || key.length > 256) return undefined;
    const row = this.store.byBouncerHash(sha256Hex(key), now);
    return row ? { id: row.id, name: row.name, scope: row.scope } : undefined;
  }

  get full(): boolean {
    return this.store.list().length >= MAX_TOKENS;
  }
}
