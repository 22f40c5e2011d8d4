import { Elysia, t } from "elysia";
import { canonicalAddress } from "@honeymesh/ban/address";
import { evidence } from "@honeymesh/ban/evidence";
import { REASONS, REASON_NAMES, reasonMask, type ReasonName } from "@honeymesh/ban/reasons";
import { Ban, BanPage } from "@honeymesh/api/bans";
import { COMMON_PROBLEMS, Problem } from "@honeymesh/api/problem";
import { BanRequest, TtlS, WRITE_RESPONSES } from "@honeymesh/api/writes";
import { badField } from "../http/problem.ts";
import { decodeParam, json, outcome } from "../http/respond.ts";
import { decodeCursor, encodeCursor } from "../read/cursor.ts";
import type { BanReader } from "../read/ban-reader.ts";
import type { ManualBans } from "../write/manual-bans.ts";
import { needs } from "../auth/scope.ts";
import type { Enricher } from "@honeymesh/enrich/enricher";
import { hasFilter } from "@honeymesh/enrich/filter";
import { filteredPage, spliceEnrichment } from "../read/enrich-view.ts";
import { rowJson, type BanValues } from "../read/ban-reader.ts";
import { ENRICH_QUERY } from "./enrich-query.ts";

const ReasonName = t.Union(
  REASON_NAMES.map((r) => t.Literal(r)),
  { description: "a reason name of DESIGN §3", error: `reason: expected one of ${Object.keys(REASONS).join(", ")}` },
);
const AddressParam = t.Object({ address: t.String({ maxLength: 200, description: "address or CIDR (percent-encode the /)" }) });

const ListQuery = t.Object({
  state: t.Optional(t.Union([t.Literal("active"), t.Literal("expired"), t.Literal("all")], { description: "default active", error: "state: expected active, expired or all" })),
  reason: t.Optional(t.String({ maxLength: 128, description: "comma-separated reason names; matches a ban with any of them" })),
  origin: t.Optional(t.String({ maxLength: 64 })),
  source: t.Optional(t.String({ maxLength: 32 })),
  contains: t.Optional(t.String({ maxLength: 64, description: "an address: only the bans that drop it (its own ban and every prefix ban containing it)" })),
  cursor: t.Optional(t.String({ maxLength: 256 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000, description: "default 100", error: "limit: expected an integer 1..1000" })),
  ...ENRICH_QUERY,
});

/** Operator reasons: MANUAL unless EXTERNAL (an imported decision) is named; others stack on top. */
function mask(reason: ReasonName | ReasonName[] | undefined): number {
  const names = reason === undefined ? [] : Array.isArray(reason) ? reason : [reason];
  const m = reasonMask(names) ?? 0;
  return m & (REASONS.MANUAL | REASONS.EXTERNAL) ? m : m | REASONS.MANUAL;
}

/** The operator's notes as evidence items: EXTERNAL when the ban is imported, MANUAL otherwise. */
function notes(reasons: number, texts: readonly string[]) {
  const kind = reasons & REASONS.EXTERNAL && !(reasons & REASONS.MANUAL) ? "external" : "manual";
  return texts.map((s) => evidence(kind, s));
}

export function banRoutes(reader: BanReader, writes: ManualBans, defaultTtlS: number, enricher: Enricher) {
  const enriched = (r: BanValues) => spliceEnrichment(rowJson(r), enricher.lookup(r[1]));
  return new Elysia({ name: "bans", normalize: false })
    .get(
      "/v1/bans",
      async ({ query }) => {
        const reasons = query.reason ? reasonMask(query.reason.split(",").map((s) => s.trim())) : undefined;
        if (query.reason && reasons === undefined) return badField("reason", `unknown reason in "${query.reason}"; allowed: ${Object.keys(REASONS).join(", ")}`);
        let after: string | undefined;
        if (query.cursor) {
          const cur = decodeCursor(query.cursor);
          if (!cur.ok || typeof cur.key !== "string") return badField("cursor", "not a cursor this API returned");
          after = cur.key;
        }
        let contains;
        if (query.contains !== undefined) {
          const c = canonicalAddress(query.contains);
          if (!c.ok || c.address.kind !== "ip") return badField("contains", c.ok ? `${query.contains} is a prefix; contains takes one address` : c.reason);
          contains = c.parsed;
        }
        await enricher.ready();
        const limit = query.limit ?? 100;
        const filter = { state: query.state ?? "active", reasonMask: reasons, origin: query.origin, source: query.source, contains } as const;
        const geo = { country: query.country, asn: query.asn };
        let rows: BanValues[];
        let lastValue: string | undefined;
        if (hasFilter(geo)) {
          // Country and ASN are not in enforcerd's store: scan in address order and keep what matches.
          const page = filteredPage((a: string | undefined, n) => reader.pageValues({ ...filter, after: a }, n), (r) => r[1], (r) => r[1], enricher, geo, after, limit);
          rows = page.items;
          lastValue = page.next;
        } else {
          // Fetch one more than asked: its presence says whether there is a next page.
          const page = reader.pageValues({ ...filter, after }, limit + 1);
          const more = page.length > limit;
          rows = more ? page.slice(0, limit) : page;
          lastValue = more ? page[limit - 1]![1] : undefined;
        }
        return new Response(`{"items":[${rows.map(enriched).join(",")}],"next_cursor":${lastValue === undefined ? "null" : JSON.stringify(encodeCursor(lastValue))}}`, { headers: { "content-type": "application/json" } });
      },
      { query: ListQuery, response: { 200: BanPage, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "List bans (filters, cursor pagination). With country/asn a page may hold fewer than limit items while next_cursor is set: the scan stopped after 20000 bans", tags: ["bans"] } },
    )
    .get(
      "/v1/bans/:address",
      async ({ params }) => {
        const c = canonicalAddress(decodeParam(params.address));
        if (!c.ok) return badField("address", c.reason);
        const ban = reader.get(c.address.text);
        if (ban) await enricher.ready();
        return ban ? json({ ...ban, ...enricher.lookup(ban.address.text) }) : json({ type: "about:blank", title: "Not Found", status: 404, detail: `${c.address.text} is not banned` }, 404, { "content-type": "application/problem+json" });
      },
      { params: AddressParam, response: { 200: Ban, ...COMMON_PROBLEMS, 404: Problem }, detail: { ...needs("read"), summary: "One ban", tags: ["bans"] } },
    )
    .post(
      "/v1/bans",
      async ({ body }) =>
        outcome(await writes.ban({ address: body.address, ttlS: body.ttl_s ?? defaultTtlS, reasons: mask(body.reason), evidence: notes(mask(body.reason), body.evidence ?? ["manual ban via API"]) })),
      { body: BanRequest, response: WRITE_RESPONSES, detail: { ...needs("write"), summary: "Ban an address or prefix (manual decision)", tags: ["bans"] } },
    )
    .delete(
      "/v1/bans/:address",
      async ({ params, query }) => outcome(await writes.unban(decodeParam(params.address), query.scope ?? "global", query.reason ? REASONS[query.reason] : 0, [evidence("manual", "manual unban via API")])),
      {
        params: AddressParam,
        response: WRITE_RESPONSES,
        query: t.Object({ scope: t.Optional(t.Union([t.Literal("global"), t.Literal("local")], { default: "global", error: "scope: expected global or local" })), reason: t.Optional(ReasonName) }),
        detail: { ...needs("write"), summary: "Unban (global by default: peers lift the ban too when this node decided it — a peer never lifts a ban another node decided; ?scope=local stays here). With ?reason=X only that reason is lifted: the answer is `kept` when others remain", tags: ["bans"] },
      },
    )
    .patch(
      "/v1/bans/:address",
      async ({ params, body }) => outcome(await writes.ban({ address: decodeParam(params.address), ttlS: body.ttl_s, reasons: mask(undefined), evidence: [evidence("manual", "manual extension via API")] }, "extend")),
      {
        params: AddressParam,
        response: WRITE_RESPONSES,
        body: t.Object({ ttl_s: TtlS }, { additionalProperties: false }),
        detail: { ...needs("write"), summary: "Extend a ban to now + ttl_s (0 = permanent)", tags: ["bans"] },
      },
    )
    .post(
      "/v1/bans/:address/permanent",
      async ({ params }) => outcome(await writes.ban({ address: decodeParam(params.address), ttlS: 0, reasons: mask(undefined), evidence: [evidence("manual", "made permanent via API")] }, "extend")),
      { params: AddressParam, response: WRITE_RESPONSES, detail: { ...needs("write"), summary: "Make a ban permanent", tags: ["bans"] } },
    );
}
