import { Type, type Static } from "@sinclair/typebox";

const Scope = Type.Union([Type.Literal("read"), Type.Literal("write"), Type.Literal("admin"), Type.Literal("bouncer")]);

/** A token or bouncer key as listed (the secret is never shown again). */
export const TokenInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal("bearer"), Type.Literal("bouncer")]),
  scope: Scope,
  created_at: Type.Integer({ description: "unix ms" }),
  expires_at: Type.Integer({ description: "unix ms; 0 = no expiry" }),
  revoked_at: Type.Integer({ description: "unix ms; 0 = live" }),
});
export type TokenInfo = Static<typeof TokenInfo>;

export const TokenList = Type.Object({ items: Type.Array(TokenInfo) });
export type TokenList = Static<typeof TokenList>;

/** 201: the new credential, with its secret shown this once. */
export const TokenCreated = Type.Composite([Type.Omit(TokenInfo, ["revoked_at"]), Type.Object({ token: Type.String({ description: "the secret; shown once" }) })]);
export type TokenCreated = Static<typeof TokenCreated>;

export const TokenRevoked = Type.Object({ id: Type.String(), revoked_at: Type.Integer() });
export type TokenRevoked = Static<typeof TokenRevoked>;
