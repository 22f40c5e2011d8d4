import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * scand's copy of enforcerd's offence numbers (enforcerd counts; every ban change carries its
 * `offence`), kept so repeat-offender escalation survives scand's restarts without reading
 * enforcerd's tables.
 */
export const offenceHistory = sqliteTable("offence_history", {
  address: text("address").primaryKey(),
  count: integer("count").notNull(),
  lastAt: integer("last_at").notNull(),
});
