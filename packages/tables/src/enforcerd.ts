import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Active bans: enforcerd is their only writer (DESIGN §3). */
export const bans = sqliteTable(
  "bans",
  {
    value: text("value").primaryKey(),
    target: text("target", { enum: ["ip", "cidr"] }).notNull(),
    reasons: integer("reasons").notNull(),
    /** Unix ms; 0 = permanent. */
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    origin: text("origin").notNull(),
    source: text("source").notNull(),
    offence: integer("offence").notNull(),
    evidence: text("evidence", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [index("bans_expires_at").on(t.expiresAt)],
);

/** Unbans with their time, so a ban decided before the unban cannot resurrect it. */
export const tombstones = sqliteTable("tombstones", {
  value: text("value").primaryKey(),
  at: integer("at").notNull(),
  origin: text("origin").notNull(),
});

/** Offence history, kept after a ban ends, for repeat-offender escalation across restarts. */
export const offences = sqliteTable("offences", {
  value: text("value").primaryKey(),
  count: integer("count").notNull(),
  lastAt: integer("last_at").notNull(),
});

/** Operator-added allowlist entries (configured CIDRs and the node's own addresses are added at start). */
export const allowlist = sqliteTable("allowlist", {
  cidr: text("cidr").primaryKey(),
  note: text("note").notNull(),
  createdAt: integer("created_at").notNull(),
});
