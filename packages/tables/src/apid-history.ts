import { integer, sqliteTable } from "drizzle-orm/sqlite-core";

/**
 * Per-minute counts of what the node did, for `GET /v1/stats/history` (apid writes it, in its own
 * `apid-history.sqlite`, kept 31 days). Counts are of events seen in that minute
 * on the bus (feed imports publish no per-address changes: they show in `bans_active` only);
 * `bans_active` is sampled at the minute's end; `xdp_*` are the kernel counters' growth
 * during the minute (0 when enforcerd reported no kernel).
 */
export const historyMinutes = sqliteTable("history_minutes", {
  /** Unix ms of the minute's start. */
  minute: integer("minute").primaryKey(),
  bansAdded: integer("bans_added").notNull(),
  bansEnded: integer("bans_ended").notNull(),
  bansActive: integer("bans_active").notNull(),
  decisions: integer("decisions").notNull(),
  hits: integer("hits").notNull(),
  sessions: integer("sessions").notNull(),
  xdpDropped: integer("xdp_dropped").notNull(),
  xdpPassed: integer("xdp_passed").notNull(),
});
