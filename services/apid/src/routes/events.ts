import { Elysia, t } from "elysia";
import { TRAP_SERVICES } from "@honeymesh/schema/trap";
import { badField } from "../http/problem.ts";
import { json } from "../http/respond.ts";
import { sessionAddress } from "../read/address-filter.ts";
import { decodeCursor, encodeCursor } from "../read/cursor.ts";
import type { PeerReader, SessionReader } from "../read/owner-queries.ts";
import { IndicatorList, PeerList, SessionPage, StixBundle, StoredSession } from "@honeymesh/api/events";
import { COMMON_PROBLEMS, Problem } from "@honeymesh/api/problem";
import { needs } from "../auth/scope.ts";
import { problem } from "../http/problem.ts";
import { stixBundle } from "../read/stix.ts";
import type { Enricher } from "@honeymesh/enrich/enricher";
import { hasFilter } from "@honeymesh/enrich/filter";
import { filteredPage, withEnrichment } from "../read/enrich-view.ts";
import { ENRICH_QUERY } from "./enrich-query.ts";

export const EventsQuery = t.Object({
  service: t.Optional(t.Union(TRAP_SERVICES.map((s) => t.Literal(s)), { error: `service: expected one of ${TRAP_SERVICES.join(", ")}` })),
  src: t.Optional(t.String({ maxLength: 64 })),
  address: t.Optional(t.String({ maxLength: 64, description: "one address, canonicalized (IPv6 RFC 5952, IPv4-mapped as IPv4): only its sessions; a prefix or a non-address is a 400" })),
  since: t.Optional(t.Integer({ minimum: 0, description: "unix ms", error: "since: expected unix milliseconds" })),
  until: t.Optional(t.Integer({ minimum: 0, description: "unix ms", error: "until: expected unix milliseconds" })),
  cursor: t.Optional(t.String({ maxLength: 256 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000, default: 100, error: "limit: expected an integer 1..1000" })),
  ...ENRICH_QUERY,
});

/** Trap sessions (trapd's store), newest first, cursor-paginated; `/v1/peers` is meshd's peers. */
export function eventRoutes(sessions: SessionReader, peers: PeerReader, enricher: Enricher) {
  return new Elysia({ name: "events", normalize: false })
    .get(
      "/v1/events",
      async ({ query }) => {
        let before: number | undefined;
        if (query.cursor) {
          const cur = decodeCursor(query.cursor);
          if (!cur.ok || typeof cur.key !== "number") return badField("cursor", "not a cursor this API returned");
          before = cur.key;
        }
        await enricher.ready();
        const addr = query.address === undefined ? undefined : sessionAddress(query.address);
        if (addr && !addr.ok) return badField("address", addr.reason);
        if (addr && query.src !== undefined && query.src !== addr.src) return json({ items: [], next_cursor: null });
        const limit = query.limit ?? 100;
        const f = { service: query.service, src: addr?.src ?? query.src, since: query.since, until: query.until };
        const geo = { country: query.country, asn: query.asn };
        let page;
        let next: number | undefined;
        if (hasFilter(geo)) {
          // Country and ASN are not in trapd's store: scan newest first and keep what matches.
          const p = filteredPage((b: number | undefined, n) => sessions.page({ ...f, before: b }, n), (s) => s.seq, (s) => s.src, enricher, geo, before, limit);
          page = p.items;
          next = p.next;
        } else {
          const rows = sessions.page({ ...f, before }, limit + 1);
          page = rows.slice(0, limit);
          next = rows.length > limit ? page[page.length - 1]!.seq : undefined;
        }
        return json({ items: page.map((s) => withEnrichment(s, enricher.lookup(s.src))), next_cursor: next === undefined ? null : encodeCursor(next) });
      },
      { query: EventsQuery, response: { 200: SessionPage, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "Trap sessions (filters, cursor pagination). With country/asn a page may hold fewer than limit items while next_cursor is set: the scan stopped after 20000 sessions", tags: ["events"] } },
    )
    .get(
      "/v1/events/:id",
      async ({ params }) => {
        const s = sessions.byId(params.id);
        if (s) await enricher.ready();
        return s ? json(withEnrichment(s, enricher.lookup(s.src))) : problem(404, { detail: `no trap session with id ${params.id}` });
      },
      { params: t.Object({ id: t.String({ minLength: 8, maxLength: 64 }) }), response: { 200: StoredSession, ...COMMON_PROBLEMS, 404: Problem }, detail: { ...needs("read"), summary: "One trap session (commands, indicators, persistence, files, transcript name)", tags: ["events"] } },
    )
    .get(
      "/v1/indicators",
      ({ query }) => {
        const items = sessions.indicators(query.scan ?? 10_000, query.since);
        return query.format === "stix" ? json(stixBundle(items)) : json({ items });
      },
      {
        query: t.Object({
          format: t.Optional(t.Union([t.Literal("list"), t.Literal("stix")], { default: "list", error: "format: expected list or stix" })),
          since: t.Optional(t.Integer({ minimum: 0, description: "unix ms", error: "since: expected unix milliseconds" })),
          scan: t.Optional(t.Integer({ minimum: 1, maximum: 100_000, default: 10_000, description: "newest interactive sessions to read", error: "scan: expected an integer 1..100000" })),
        }),
        response: { 200: t.Union([IndicatorList, StixBundle]), ...COMMON_PROBLEMS },
        detail: { ...needs("read"), summary: "URLs, hosts, SSH keys and file hashes captured by the traps' shell (a list, or a STIX 2.1 bundle)", tags: ["events"] },
      },
    )
    .get("/v1/peers", () => json({ items: peers.list(1000) }), { response: { 200: PeerList, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "Mesh peers", tags: ["mesh"] } });
}
