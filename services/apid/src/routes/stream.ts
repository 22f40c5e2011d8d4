import { Elysia, t } from "elysia";
import { COMMON_PROBLEMS, Problem } from "@honeymesh/api/problem";
import { StreamData } from "@honeymesh/api/stream";
import { problem } from "../http/problem.ts";
import type { LiveFeed } from "../live/live-feed.ts";
import type { Principal } from "../auth/tokens.ts";
import { needs } from "../auth/scope.ts";

const KINDS = ["hit", "decision", "ban"] as const;

/** `/v1/stream`: Server-Sent Events of live trap hits, decisions and ban changes. */
export function streamRoutes(feed: LiveFeed, principalOf: (r: Request) => Principal | undefined) {
  return new Elysia({ name: "stream", normalize: false }).get(
    "/v1/stream",
    ({ query, request }) => {
      const kinds = new Set<string>(query.kinds ? query.kinds.split(",").map((k) => k.trim()) : []);
      for (const k of kinds) if (!(KINDS as readonly string[]).includes(k)) return problem(400, { detail: `kinds: unknown event kind "${k.slice(0, 32)}"; allowed: ${KINDS.join(", ")}`, field: "kinds" });
      const body = feed.open(kinds, principalOf(request)?.id ?? "");
      if (!body) return problem(503, { detail: "too many stream clients; retry later", headers: { "retry-after": "5" } });
      return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" } });
    },
    {
      query: t.Object({ kinds: t.Optional(t.String({ maxLength: 64, description: "comma-separated: hit, decision, ban (default all)" })) }),
      // Documentation only: Server-Sent Events, each `data:` one of these.
      response: { 200: StreamData, ...COMMON_PROBLEMS, 503: Problem },
      detail: { ...needs("read"), summary: "Live events (text/event-stream)", tags: ["events"] },
    },
  );
}
