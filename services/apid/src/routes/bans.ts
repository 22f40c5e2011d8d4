import { Elysia, t } from "elysia";
import { MAX_TTL_S } from "@honeymesh/schema/decision";
import { REASONS, reasonMask, type ReasonName } from "@honeymesh/schema/reasons";
import { badField } from "../http/problem.ts";
import { decodeParam, json, outcome } from "../http/respond.ts";
import { decodeCursor, encodeCursor } from "../read/cursor.ts";
import type { BanReader } from "../read/ban-reader.ts";
import { canonical, type ManualBans } from "../write/manual-bans.ts";

const ReasonName = t.Union(
  (Object.keys(REASONS) as ReasonName[]).map((r) => t.Literal(r)),
  { description: "a reason name of DESIGN §3", error: `reason: expected one of ${Object.keys(REASONS).join(", ")}` },
);
const Ttl = t.Integer({ minimum: 0, maximum: MAX_TTL_S, description: "seconds; 0 = permanent", error: `ttl_s: expected an integer 0..${MAX_TTL_S} (seconds, 0 = permanent)` });
const Evidence = t.Array(t.String({ maxLength: 256 }), { maxItems: 16 });

export const BanBody = t.Object(
  {
    value: t.String({ minLength: 2, maxLength: 64, description: "IPv4/IPv6 address or CIDR" }),
    ttl_s: t.Optional(Ttl),
    reason: t.Optional(t.Union([ReasonName, t.Array(ReasonName, { minItems: 1, maxItems: 7 })])),
    evidence: t.Optional(Evidence),
  },
  { additionalProperties: false },
);

const ListQuery = t.Object({
  state: t.Optional(t.Union([t.Literal("active"), t.Literal("expired"), t.Literal("all")], { description: "default active", error: "state: expected active, expired or all" })),
  reason: t.Optional(t.String({ maxLength: 128, description: "comma-separated reason names; matches a ban with any of them" })),
  origin: t.Optional(t.String({ maxLength: 64 })),
  source: t.Optional(t.String({ maxLength: 32 })),
  prefix: t.Optional(t.String({ maxLength: 64, description: "text prefix of the address, e.g. 203.0.113." })),
  cursor: t.Optional(t.String({ maxLength: 256 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000, description: "default 100", error: "limit: expected an integer 1..1000" })),
});

/** Operator reasons: MANUAL unless EXTERNAL (an imported decision) is named; others stack on top. */
function mask(reason: ReasonName | ReasonName[] | undefined): number {
  const names = reason === undefined ? [] : Array.isArray(reason) ? reason : [reason];
  const m = reasonMask(names) ?? 0;
  return m & (REASONS.MANUAL | REASONS.EXTERNAL) ? m : m | REASONS.MANUAL;
}

export function banRoutes(reader: BanReader, writes: ManualBans, defaultTtlS: number) {
  return new Elysia({ name: "bans", normalize: false })
    .get(
      "/v1/bans",
      ({ query }) => {
        const reasons = query.reason ? reasonMask(query.reason.split(",").map((s) => s.trim())) : undefined;
        if (query.reason && reasons === undefined) return badField("reason", `unknown reason in "${query.reason}"; allowed: ${Object.keys(REASONS).join(", ")}`);
        let after: string | undefined;
        if (query.cursor) {
          const cur = decodeCursor(query.cursor);
          if (!cur.ok || typeof cur.key !== "string") return badField("cursor", "not a cursor this API returned");
          after = cur.key;
        }
        const limit = query.limit ?? 100;
        // Fetch one more than asked: its presence says whether there is a next page.
        const page = reader.pageJson({ state: query.state ?? "active", reasonMask: reasons, origin: query.origin, source: query.source, prefix: query.prefix, after }, limit + 1);
        const more = page.json.length > limit;
        const items = more ? page.json.slice(0, limit) : page.json;
        const lastValue = more ? page.values[limit - 1] : undefined;
        return new Response(`{"items":[${items.join(",")}],"next_cursor":${lastValue === undefined ? "null" : JSON.stringify(encodeCursor(lastValue))}}`, { headers: { "content-type": "application/json" } });
      },
      { query: ListQuery, detail: { summary: "List bans (filters, cursor pagination)", tags: ["bans"] } },
    )
    .get(
      "/v1/bans/:value",
      ({ params }) => {
        const c = canonical(decodeParam(params.value));
        if (!c.ok) return badField("value", c.detail);
        const ban = reader.get(c.value);
        return ban ? json(ban) : json({ type: "about:blank", title: "Not Found", status: 404, detail: `${c.value} is not banned` }, 404, { "content-type": "application/problem+json" });
      },
      { params: t.Object({ value: t.String({ maxLength: 200 }) }), detail: { summary: "One ban", tags: ["bans"] } },
    )
    .post(
      "/v1/bans",
      async ({ body }) =>
        outcome(await writes.ban({ value: body.value, ttlS: body.ttl_s ?? defaultTtlS, reasons: mask(body.reason), evidence: body.evidence ?? ["manual ban via API"] })),
      { body: BanBody, detail: { summary: "Ban an address or prefix (manual decision)", tags: ["bans"] } },
    )
    .delete(
      "/v1/bans/:value",
      async ({ params, query }) => outcome(await writes.unban(decodeParam(params.value), query.scope ?? "global", mask(query.reason), ["manual unban via API"])),
      {
        params: t.Object({ value: t.String({ maxLength: 200 }) }),
        query: t.Object({ scope: t.Optional(t.Union([t.Literal("global"), t.Literal("local")], { default: "global", error: "scope: expected global or local" })), reason: t.Optional(ReasonName) }),
        detail: { summary: "Unban (global by default: the mesh learns it; ?scope=local stays here)", tags: ["bans"] },
      },
    )
    .patch(
      "/v1/bans/:value",
      async ({ params, body }) => outcome(await writes.ban({ value: decodeParam(params.value), ttlS: body.ttl_s, reasons: mask(undefined), evidence: ["manual extension via API"] }, "extend")),
      {
        params: t.Object({ value: t.String({ maxLength: 200 }) }),
        body: t.Object({ ttl_s: Ttl }, { additionalProperties: false }),
        detail: { summary: "Extend a ban to now + ttl_s (0 = permanent)", tags: ["bans"] },
      },
    )
    .post(
      "/v1/bans/:value/permanent",
      async ({ params }) => outcome(await writes.ban({ value: decodeParam(params.value), ttlS: 0, reasons: mask(undefined), evidence: ["made permanent via API"] }, "extend")),
      { params: t.Object({ value: t.String({ maxLength: 200 }) }), detail: { summary: "Make a ban permanent", tags: ["bans"] } },
    );
}
