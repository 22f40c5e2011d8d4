import { index, integer, real, sqliteTable, text, blob } from "drizzle-orm/sqlite-core";
import type { CapturedFile, Credential, PersistenceItem, TrapIndicators } from "@honeymesh/schema/trap";

/** What an interactive session captured (the optional TrapSession fields), one JSON column. */
export interface SessionCapture {
  command_at?: number[];
  indicators?: TrapIndicators;
  persistence?: PersistenceItem[];
  files?: CapturedFile[];
  transcript?: string;
}

/** Closed trap sessions (TrapSession), trapd's only table; pruned by age and by count. */
export const sessions = sqliteTable(
  "sessions",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    sessionId: text("session_id").notNull().unique(),
    service: text("service").notNull(),
    src: text("src").notNull(),
    srcPort: integer("src_port").notNull(),
    dst: text("dst").notNull(),
    dstPort: integer("dst_port").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at").notNull(),
    bytesIn: integer("bytes_in").notNull(),
    bytesOut: integer("bytes_out").notNull(),
    credentials: text("credentials", { mode: "json" }).$type<Credential[]>().notNull(),
    commands: text("commands", { mode: "json" }).$type<string[]>().notNull(),
    payload: blob("payload", { mode: "buffer" }).notNull(),
    entropy: real("entropy").notNull(),
    meta: text("meta", { mode: "json" }).$type<Record<string, string>>().notNull(),
    endReason: text("end_reason").notNull(),
    /** Interactive sessions only (shell/): command times, indicators, persistence, files, transcript. */
    capture: text("capture", { mode: "json" }).$type<SessionCapture>(),
  },
  (t) => [index("sessions_ended_at").on(t.endedAt), index("sessions_src").on(t.src)],
);
