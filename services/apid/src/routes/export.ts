import { Elysia, t } from "elysia";
import { Ban } from "@honeymesh/api/bans";
import { StoredSession } from "@honeymesh/api/events";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { BAN_CSV_HEADER, rowCsv, rowJson, type BanReader } from "../read/ban-reader.ts";
import { CAPTURE_FIELDS } from "@honeymesh/tables/trapd-queries";
import { CONTENT_TYPE, csvLine, exportStream, type ExportFormat, type ExportPage } from "../read/export-stream.ts";
import type { SessionReader } from "../read/owner-queries.ts";
import { needs } from "../auth/scope.ts";

const PAGE = 1000;

/** `/v1/export`: every ban or trap session, streamed page by page as the client reads. */
export function exportRoutes(reader: BanReader, sessions: SessionReader, onDone: (kind: string, rows: number) => void) {
  return new Elysia({ name: "export", normalize: false }).get(
    "/v1/export",
    ({ query }) => {
      const format: ExportFormat = query.format ?? "ndjson";
      const kind = query.kind ?? "bans";
      const state = query.state ?? "active";
      let columns: string[] | undefined;
      const bansPage = (after: string | undefined): ExportPage<string> => {
        const rows = reader.pageValues({ state, after }, PAGE);
        return { lines: rows.map(format === "csv" ? rowCsv : rowJson), last: rows.length === PAGE ? rows[rows.length - 1]![1] : undefined, header: BAN_CSV_HEADER };
      };
      const eventsPage = (before: number | undefined): ExportPage<number> => {
        const rows = sessions.page({ before }, PAGE);
        // Every page's rows under one header: the shell's optional fields are columns even when the first row lacks them.
        if (!columns && rows[0]) columns = [...Object.keys(rows[0]).filter((k) => !(CAPTURE_FIELDS as readonly string[]).includes(k)), ...CAPTURE_FIELDS];
        const cols = (columns ?? []) as (keyof (typeof rows)[number])[];
        return {
          lines: rows.map((r) => (format === "csv" ? csvLine(cols.map((c) => r[c])) : JSON.stringify(r))),
          last: rows.length === PAGE ? rows[rows.length - 1]!.seq : undefined,
          header: columns ? csvLine(columns) : undefined,
        };
      };
      const body = kind === "bans" ? exportStream({ format, page: bansPage, onDone: (n) => onDone(kind, n) }) : exportStream({ format, page: eventsPage, onDone: (n) => onDone(kind, n) });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      return new Response(body, {
        headers: { "content-type": CONTENT_TYPE[format], "content-disposition": `attachment; filename="honeymesh-${kind}-${stamp}.${format}"`, "cache-control": "no-store" },
      });
    },
    {
      query: t.Object({
        format: t.Optional(t.Union([t.Literal("json"), t.Literal("csv"), t.Literal("ndjson")], { default: "ndjson", error: "format: expected json, csv or ndjson" })),
        kind: t.Optional(t.Union([t.Literal("bans"), t.Literal("events")], { default: "bans", error: "kind: expected bans or events" })),
        state: t.Optional(t.Union([t.Literal("active"), t.Literal("expired"), t.Literal("all")], { default: "active", error: "state: expected active, expired or all" })),
      }),
      // Documentation only: the body is streamed text (JSON array, NDJSON or CSV), never validated per request.
      response: {
        200: t.Union([t.Array(Ban), t.Array(StoredSession)], { description: "format=json: an array of bans (kind=bans) or trap sessions (kind=events); ndjson: one such object per line; csv: a header line, then one row per item (arrays and objects as JSON text)" }),
        ...COMMON_PROBLEMS,
      },
      detail: { ...needs("read"), summary: "Stream every ban or trap session as JSON, CSV or NDJSON", tags: ["export"] },
    },
  );
}
