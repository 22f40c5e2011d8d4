import { Elysia, t } from "elysia";
import { TRAP_SERVICES } from "@honeymesh/schema/trap";
import { badField } from "../http/problem.ts";
import { json } from "../http/respond.ts";
import { decodeCursor, encodeCursor } from "../read/cursor.ts";
import type { PeerReader, SessionReader } from "../read/owner-queries.ts";
import { PeerList, SessionPage } from "@honeymesh/api/events";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { needs } from "../auth/scope.ts";

export const EventsQuery = t.Object({
  service: t.Optional(t.Union(TRAP_SERVICES.map((s) => t.Literal(s)), { error: `service: expected one of ${TRAP_SERVICES.join(", ")}` })),
  src: t.Optional(t.String({ maxLength: 64 })),
  since: t.Optional(t.Integer({ minimum: 0, description: "unix ms", error: "since: expected unix milliseconds" })),
  until: t.Optional(t.Integer({ minimum: 0, description: "unix ms", error: "until: expected unix milliseconds" })),
  cursor: t.Optional(t.String({ maxLength: 256 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000, default: 100, error: "limit: expected an integer 1..1000" })),
});

/** Trap sessions (trapd's store), newest first, cursor-paginated; `/v1/peers` is meshd's peers. */
export function eventRoutes(sessions: SessionReader, peers: PeerReader) {
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
        const rows = sessions.page({ service: query.service, src: query.src, since: query.since, until: query.until, before }, limit + 1);
        const more = rows.length > limit;
        const page = rows.slice(0, limit);
        return json({ items: page, next_cursor: more ? encodeCursor(page[page.length - 1]!.seq) : null });
      },
      { query: EventsQuery, response: { 200: SessionPage, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "Trap sessions (filters, cursor pagination)", tags: ["events"] } },
    )
    .get("/v1/peers", () => json({ items: peers.list(1000) }), { response: { 200: PeerList, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "Mesh peers", tags: ["mesh"] } });
}
