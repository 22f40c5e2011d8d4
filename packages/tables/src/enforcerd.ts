import type { Evidence } from "@honeymesh/ban/evidence";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Active bans: enforcerd is their only writer (DESIGN §3). */
export const bans = sqliteTable(
  "bans",
  {
    address: text("address").primaryKey(),
    kind: text("kind", { enum: ["ip", "cidr"] }).notNull(),
    reasons: integer("reasons").notNull(),
    /** Unix ms; 0 = permanent. */
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    origin: text("origin").notNull(),
    source: text("source").notNull(),
    offence: integer("offence").notNull(),
    evidence: text("evidence", { mode: "json" }).$type<Evidence[]>().notNull(),
    /** verified | unverified (DESIGN §3); rows from before graded evidence were all verified. */
    confidence: text("confidence", { enum: ["verified", "unverified"] }).notNull().default("verified"),
  },
  (t) => [index("bans_expires_at").on(t.expiresAt)],
);

/** Unbans with their time, so a ban decided before the unban cannot resurrect it. */
export const tombstones = sqliteTable("tombstones", {
  address: text("address").primaryKey(),
  at: integer("at").notNull(),
  origin: text("origin").notNull(),
});

/** Offence history, kept after a ban ends, for repeat-offender escalation across restarts. */
export const offences = sqliteTable("offences", {
  address: text("address").primaryKey(),
  count: integer("count").notNull(),
  lastAt: integer("last_at").notNull(),
});

/** Operator-added allowlist entries (configured CIDRs and the node's own addresses are added at start). */
export const allowlist = sqliteTable("allowlist", {
  address: text("address").primaryKey(),
  note: text("note").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * The protected set as enforcerd keeps it now (resolvers, NTP servers, mesh peers, live sessions):
 * rewritten by enforcerd when it changes, read by apid for `GET /v1/allowlist`. Automatic
 * decisions never touch these addresses; operators still can (DESIGN §3).
 */
export const protectedSet = sqliteTable("protected_set", {
  address: text("address").primaryKey(),
  source: text("source", { enum: ["resolver", "ntp", "peer", "session"] }).notNull(),
  note: text("note").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
