import { Elysia, t } from "elysia";
import type { AddressKind } from "@honeymesh/ban/address";
import { CsLive, CsStream, type CsDecision } from "@honeymesh/api/crowdsec";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";

import type { Principal } from "../auth/tokens.ts";
import type { RecentDeletions } from "../live/recent-deletions.ts";
import type { BanReader, BanView } from "../read/ban-reader.ts";
import { isLive } from "@honeymesh/ban/liveness";
import { needs } from "../auth/scope.ts";

/** Go's time.Duration text ("3h59m12.5s"), which bouncers parse with time.ParseDuration. */
export function goDuration(ms: number): string {
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.round(rest) / 1000;
  return `${neg ? "-" : ""}${h}h${m}m${s}s`;
}

/** A permanent ban has no end; bouncers need one, so it is ten years and renewed at each startup pull. */
const PERMANENT_MS = 87_600 * 3_600_000;
const PAGE = 2000;

function item(id: number, b: Pick<BanView, "address" | "expires_at" | "reasons">, now: number): CsDecision {
  return {
    id,
    uuid: `hm-${b.address.text}`,
    origin: "honeymesh",
    type: "ban",
    scope: b.address.kind === "cidr" ? "Range" : "Ip",
    value: b.address.text,
    duration: goDuration(b.expires_at === 0 ? PERMANENT_MS : b.expires_at - now),
    scenario: `honeymesh/${b.reasons.join("+").toLowerCase() || "ban"}`,
  };
}

const kindOf = (text: string): AddressKind => (text.includes("/") ? "cidr" : "ip");

/**
 * CrowdSec LAPI's bouncer stream (`GET /v1/decisions/stream`, X-Api-Key), so existing CrowdSec
 * bouncers enforce HoneyMesh's bans: `{new: [...], deleted: [...]}` with Go durations; startup
 * (or a bouncer apid has not seen since it started) gets every active ban, later pulls the changes
 * since that bouncer's previous pull. Large answers are streamed page by page.
 */
export function crowdsecRoutes(reader: BanReader, deletions: RecentDeletions, principalOf: (r: Request) => Principal | undefined) {
  const lastPull = new Map<string, number>();
  const enc = new TextEncoder();
  return new Elysia({ name: "crowdsec", normalize: false })
    .get(
      "/v1/decisions/stream",
      ({ query, request }) => {
        const p = principalOf(request)!;
        const now = Date.now();
        const scopes = new Set((query.scopes ?? "ip").toLowerCase().split(",").map((s) => s.trim()));
        const origins = query.origins ? new Set(query.origins.split(",").map((s) => s.trim())) : undefined;
        const wanted = (kind: AddressKind) => (origins === undefined || origins.has("honeymesh")) && scopes.has(kind === "cidr" ? "range" : "ip");
        const since = query.startup === "true" ? undefined : lastPull.get(p.id);
        if (lastPull.size >= 10_000 && !lastPull.has(p.id)) lastPull.clear();
        lastPull.set(p.id, now);
        let after: string | undefined;
        let first = true;
        let phase: "new" | "deleted" | "done" = "new";
        const body = new ReadableStream<Uint8Array>(
          {
            pull(c) {
              if (phase === "new") {
                const rows = reader.page({ state: "active", after, updatedSince: since }, PAGE);
                let out = after === undefined ? '{"new":[' : "";
                for (const r of rows) {
                  if (!wanted(r.address.kind)) continue;
                  out += `${first ? "" : ","}${JSON.stringify(item(r.id, r, now))}`;
                  first = false;
                }
                if (rows.length === PAGE) after = rows[rows.length - 1]!.address.text;
                else phase = "deleted";
                c.enqueue(enc.encode(out));
                return;
              }
              if (phase === "deleted") {
                const gone: CsDecision[] = [];
                if (since !== undefined) {
                  for (const tmb of reader.tombstonesSince(since, 100_000)) {
                    const kind = kindOf(tmb.address);
                    if (wanted(kind)) gone.push(item(tmb.id, { address: { kind, text: tmb.address }, expires_at: now, reasons: [] }, now));
                  }
                  for (const d of deletions.since(since)) {
                    if (wanted(d.address.kind)) gone.push(item(0, { address: d.address, expires_at: now, reasons: [] }, now));
                  }
                }
                c.enqueue(enc.encode(`],"deleted":${JSON.stringify(gone)}}`));
                phase = "done";
                c.close();
              }
            },
          },
          { highWaterMark: 1 },
        );
        return new Response(body, { headers: { "content-type": "application/json" } });
      },
      {
        query: t.Object({
          startup: t.Optional(t.String({ maxLength: 8 })),
          scopes: t.Optional(t.String({ maxLength: 64 })),
          origins: t.Optional(t.String({ maxLength: 256 })),
          scenarios_containing: t.Optional(t.String({ maxLength: 256 })),
          scenarios_not_containing: t.Optional(t.String({ maxLength: 256 })),
        }),
        response: { 200: CsStream, ...COMMON_PROBLEMS },
        detail: { ...needs("bouncer"), summary: "CrowdSec LAPI bouncer stream (X-Api-Key)", tags: ["crowdsec"] },
      },
    )
    .get(
      "/v1/decisions",
      ({ query }) => {
        // Live-mode bouncers ask per address; LAPI answers `null` when nothing applies.
        const now = Date.now();
        const b = query.ip ? reader.get(query.ip) : undefined;
        const live = b && isLive(b.expires_at, now) ? [item(0, b, now)] : null;
        return new Response(JSON.stringify(live), { headers: { "content-type": "application/json" } });
      },
      { query: t.Object({ ip: t.Optional(t.String({ maxLength: 64 })), scope: t.Optional(t.String({ maxLength: 16 })), value: t.Optional(t.String({ maxLength: 64 })) }), response: { 200: CsLive, ...COMMON_PROBLEMS }, detail: { ...needs("bouncer"), summary: "CrowdSec LAPI live query (exact address)", tags: ["crowdsec"] } },
    )
    .post("/v1/usage-metrics", () => new Response("{}", { status: 201, headers: { "content-type": "application/json" } }), { response: { 201: t.Object({}, { description: "accepted and ignored" }), ...COMMON_PROBLEMS }, detail: { ...needs("bouncer"), summary: "CrowdSec bouncer usage metrics (accepted, ignored)", tags: ["crowdsec"] } });
}
