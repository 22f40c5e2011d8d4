import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * logd's read positions: per followed file, the inode and byte offset after the last line it
 * handled, and a hash of that line (so a file replaced in place is noticed). Written in the same
 * transaction as the failures those lines produced: a restart neither re-reads nor loses a line.
 */
export const positions = sqliteTable("positions", {
  path: text("path").primaryKey(),
  inode: integer("inode").notNull(),
  offset: integer("offset").notNull(),
  lastLineHash: text("last_line_hash").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Failures still inside their jail's findtime window (older ones are pruned). */
export const failures = sqliteTable(
  "failures",
  {
    jail: text("jail").notNull(),
    address: text("address").notNull(),
    at: integer("at").notNull(),
    seq: integer("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jail, t.seq] }), index("failures_jail_address").on(t.jail, t.address, t.at)],
);
