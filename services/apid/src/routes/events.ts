import { Elysia, t } from "elysia";
import { TRAP_SERVICES } from "@honeymesh/schema/trap";
import { badField } from "../http/problem.ts";
import { json } from "../http/respond.ts";
import { decodeCursor, encodeCursor } from "../read/cursor.ts";
import type { TableReader } from "../read/table-reader.ts";

export const EventsQuery = t.Object({
  service: t.Optional(t.Union(TRAP_SERVICES.map((s) => t.Literal(s)), { error: `service: expected one of ${TRAP_SERVICES.join(", ")}` })),
  src: t.Optional(t.String({ maxLength: 64 })),
  since: t.Optional(t.Integer({ minimum: 0, description: "unix ms", error: "since: expected unix milliseconds" })),
  until: t.Optional(t.Integer({ minimum: 0, description: "unix ms", error: "until: expected unix milliseconds" })),
  cursor: t.Optional(t.String({ maxLength: 256 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000, default: 100, error: "limit: expected an integer 1..1000" })),
});

/** Trap sessions (trapd's store), newest first, cursor-paginated; `/v1/peers` is meshd's peers. */
export function eventRoutes(sessions: TableReader, peers: TableReader) {
  return new Elysia({ name: "events", normalize: false })
    .get(
      "/v1/events",
      ({ query }) => {
        let before: number | undefined;
        if (query.cursor) {
          const cur = decodeCursor(query.cursor);
          if (!cur.ok || typeof cur.key !== "number") return badField("cursor", "not a cursor this API returned");
          before = cur.key;
        }
        const limit = query.limit ?? 100;
        const equals: Record<string, string> = {};
        if (query.service) equals.service = query.service;
        if (query.src) equals.src = query.src;
        const rows = sessions.page({ equals, since: query.since, until: query.until, before }, limit + 1);
        const more = rows.length > limit;
        const page = rows.slice(0, limit);
        return json({ items: page.map((r) => r.row), next_cursor: more ? encodeCursor(page[page.length - 1]!.rowid) : null });
      },
      { query: EventsQuery, detail: { summary: "Trap sessions (filters, cursor pagination)", tags: ["events"] } },
    )
    .get("/v1/peers", () => json({ items: peers.page({ equals: {} }, 1000).map((r) => r.row) }), { detail: { summary: "Mesh peers", tags: ["mesh"] } });
}
