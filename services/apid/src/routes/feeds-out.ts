import { needs } from "../auth/scope.ts";
import { Elysia, t } from "elysia";
import { reasonMask } from "@honeymesh/ban/reasons";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { FEED_CSV_HEADER, FEED_OUT_FORMATS, FEED_OUT_TYPES, feedCsv, identityObject, stixIndicator, uuid5, type FeedOutFormat } from "../feeds-out/formats.ts";
import { badField } from "../http/problem.ts";
import type { BanFilter, BanReader } from "../read/ban-reader.ts";

const PAGE = 1000;

/**
 * `GET /v1/feeds/{plain|csv|stix}`: the node's active bans as a blocklist for other tools, streamed
 * page by page as the client reads (a million bans never sit in memory). Filters: `reason` (names,
 * any of them), `origin`. Lists imported from feeds are left out unless `include_feeds=true`: they
 * are someone else's list, and their licence may not allow passing them on.
 */
export function feedsOutRoutes(reader: BanReader, nodeId: string) {
  return new Elysia({ name: "feeds-out", normalize: false }).get(
    "/v1/feeds/:format",
    ({ params, query }) => {
      const format = params.format as FeedOutFormat;
      if (!FEED_OUT_FORMATS.includes(format)) return badField("format", `expected one of ${FEED_OUT_FORMATS.join(", ")}`);
      const filter: BanFilter = { state: "active" };
      if (query.reason) {
        const mask = reasonMask(query.reason.split(","));
        if (mask === undefined || mask === 0) return badField("reason", "expected reason names, e.g. TRAP,SCAN");
        filter.reasonMask = mask;
      }
      if (query.origin) filter.origin = query.origin;
      if (query.include_feeds !== "true") filter.excludeSourcePrefix = "feed:";
      const now = Date.now();
      const identity = identityObject(nodeId, now);
      const enc = new TextEncoder();
      let after: string | undefined;
      let first = true;
      let done = false;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (done) return;
            let out = "";
            if (first) {
              if (format === "plain") out += `# HoneyMesh blocklist of node ${nodeId}, ${new Date(now).toISOString()}${query.reason ? `, reasons ${query.reason}` : ""}${query.origin ? `, origin ${query.origin}` : ""}\n`;
              if (format === "csv") out += `${FEED_CSV_HEADER}\r\n`;
              if (format === "stix") out += `{"type":"bundle","id":"bundle--${uuid5(`bundle:${nodeId}:${now}:${Math.random()}`)}","objects":[\n${JSON.stringify(identity)}`;
            }
            const rows = reader.pageValues({ ...filter, after }, PAGE, now);
            for (const r of rows) {
              if (format === "plain") out += `${r[1]}\n`;
              else if (format === "csv") out += `${feedCsv(r)}\r\n`;
              else out += `,\n${JSON.stringify(stixIndicator(r, identity.id as string))}`;
            }
            first = false;
            if (rows.length < PAGE) {
              if (format === "stix") out += "\n]}\n";
              done = true;
              controller.enqueue(enc.encode(out));
              controller.close();
              return;
            }
            after = rows[rows.length - 1]![1];
            controller.enqueue(enc.encode(out));
          },
        },
        { highWaterMark: 1 },
      );
      return new Response(body, { headers: { "content-type": FEED_OUT_TYPES[format], "cache-control": "no-store" } });
    },
    {
      params: t.Object({ format: t.String({ maxLength: 16 }) }),
      query: t.Object({
        reason: t.Optional(t.String({ maxLength: 128, description: "comma-separated reason names; a ban with any of them is listed" })),
        origin: t.Optional(t.String({ maxLength: 64, description: "only bans decided by this node id" })),
        include_feeds: t.Optional(t.Union([t.Literal("true"), t.Literal("false")], { description: "also list bans imported from [feeds.*] (default false)" })),
      }),
      response: { 200: t.String({ description: "plain: one address or prefix per line after a # comment; csv: header then rows; stix: a STIX 2.1 bundle (identity + one indicator per ban)" }), ...COMMON_PROBLEMS },
      detail: { ...needs("read"), summary: "The active bans as a blocklist: plain text, CSV or a STIX 2.1 bundle", tags: ["export"] },
    },
  );
}
