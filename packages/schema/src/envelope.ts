import { Type, type Static } from "@sinclair/typebox";

/**
 * Claims of every bus message (DESIGN §2): a compact JWS whose payload is these claims.
 * `d` is validated separately against the topic's own schema.
 */
export const EnvelopeClaims = Type.Object({
  iss: Type.String({ maxLength: 32 }),
  iat: Type.Integer(),
  exp: Type.Integer(),
  jti: Type.String({ minLength: 8, maxLength: 64 }),
  tp: Type.Optional(Type.String({ maxLength: 128 })),
  d: Type.Unknown(),
});
export type EnvelopeClaims = Static<typeof EnvelopeClaims>;
