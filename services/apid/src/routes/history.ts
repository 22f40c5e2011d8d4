import { needs } from "../auth/scope.ts";
import { Elysia, t } from "elysia";
import { History } from "@honeymesh/api/history";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { bucket, HISTORY_KEEP_MS, type HistoryRecorder } from "../history/history-recorder.ts";
import { badField } from "../http/problem.ts";
import { json } from "../http/respond.ts";

const MAX_POINTS = 10_000;

/** `GET /v1/stats/history?from&to&step`: per-minute counts, summed into buckets of `step` seconds. */
export function historyRoutes(h: HistoryRecorder) {
  return new Elysia({ name: "history", normalize: false }).get(
    "/v1/stats/history",
    ({ query }) => {
      const now = Date.now();
      const to = query.to ?? now;
      const from = query.from ?? to - 3_600_000;
      const step = query.step ?? 60;
      if (from >= to) return badField("from", "must be before to");
      if (step % 60 !== 0) return badField("step", "seconds, a multiple of 60");
      if ((to - from) / (step * 1000) > MAX_POINTS) return badField("step", `at most ${MAX_POINTS} buckets: make step larger or the range shorter`);
      if (to - from > HISTORY_KEEP_MS + 86_400_000) return badField("from", "history is kept for 31 days");
      return json({ from, to, step, points: bucket(h.rows(from, to), from, step * 1000) });
    },
    {
      query: t.Object({
        from: t.Optional(t.Integer({ minimum: 0, description: "unix ms; default to − 1 h", error: "from: expected unix milliseconds" })),
        to: t.Optional(t.Integer({ minimum: 0, description: "unix ms; default now", error: "to: expected unix milliseconds" })),
        step: t.Optional(t.Integer({ minimum: 60, maximum: 31 * 86_400, description: "bucket seconds, a multiple of 60; default 60", error: "step: expected seconds ≥ 60" })),
      }),
      response: { 200: History, ...COMMON_PROBLEMS },
      detail: { ...needs("read"), summary: "Per-minute history (bans added and ended, active bans, decisions, hits, sessions, XDP drops) in buckets", tags: ["status"] },
    },
  );
}
