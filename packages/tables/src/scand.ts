import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** scand's offence history: how often each source was banned, for repeat-offender escalation. */
export const offenceHistory = sqliteTable("offence_history", {
  value: text("value").primaryKey(),
  count: integer("count").notNull(),
  lastAt: integer("last_at").notNull(),
});
