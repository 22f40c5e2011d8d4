import { jwtVerify, SignJWT } from "jose";
import type { SigningKey } from "@honeymesh/keys/keystore";
import type { KeyRing } from "./key-ring.ts";

export const BUS_AUDIENCE = "hm-bus";

/** The short-lived JWT a client presents as its MQTT password. */
export function connectToken(key: SigningKey, ttlS: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid })
    .setIssuer(key.identity)
    .setSubject(key.identity)
    .setAudience(BUS_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlS}s`)
    .setJti(crypto.randomUUID())
    .sign(key.key);
}

/** Verifies a connect token for `username`; the kid must be the username's own key. */
export async function verifyConnectToken(ring: KeyRing, username: string, token: string): Promise<boolean> {
  if (token.length > 2048) return false;
  try {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      async (header) => {
        const key = typeof header.kid === "string" ? await ring.get(header.kid) : undefined;
        if (!key) throw new Error("unknown key");
        return key.crypto;
      },
      { issuer: username, subject: username, audience: BUS_AUDIENCE, algorithms: ["EdDSA"], maxTokenAge: 86_400 },
    );
    return typeof protectedHeader.kid === "string" && protectedHeader.kid.split("@")[0] === username && payload.exp !== undefined;
  } catch {
    return false;
  }
}
