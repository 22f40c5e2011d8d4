import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * API credentials issued by apid. Bearer tokens are JWTs signed by apid's API key: only their id
 * is kept, so a revoked id refuses the token. Bouncer keys (CrowdSec's X-Api-Key) are random
 * secrets kept as a SHA-256 hash, never in clear.
 */
export const tokens = sqliteTable(
  "tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["bearer", "bouncer"] }).notNull(),
    scope: text("scope", { enum: ["read", "write", "admin", "bouncer"] }).notNull(),
    /** hex SHA-256 of a bouncer key; empty for bearer tokens. */
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Unix ms; 0 = no expiry. */
    expiresAt: integer("expires_at").notNull(),
    /** Unix ms; 0 = live. */
    revokedAt: integer("revoked_at").notNull(),
  },
  (t) => [index("tokens_secret_hash").on(t.secretHash)],
);
