import { Elysia, t } from "elysia";
import { Explanation } from "@honeymesh/api/explain";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { badField } from "../http/problem.ts";
import { decodeParam, json } from "../http/respond.ts";
import { explain } from "../read/explain.ts";
import { needs } from "../auth/scope.ts";
import type { Enricher } from "@honeymesh/enrich/enricher";
import { withEnrichment } from "../read/enrich-view.ts";

type Deps = Parameters<typeof explain>[1] & { enricher: Enricher };

/** `GET /v1/explain/{ip}`: every ban and prefix that covers the address, allowlist entries, evidence, sessions, mesh origins. */
export function explainRoutes(deps: Deps) {
  return new Elysia({ name: "explain", normalize: false }).get(
    "/v1/explain/:ip",
    async ({ params }) => {
      await deps.enricher.ready();
      const e = explain(decodeParam(params.ip), deps);
      if (!e.ok) return badField("ip", e.reason);
      const look = (a: string) => deps.enricher.lookup(a);
      const v = e.value;
      return json({
        ...withEnrichment(v, look(v.address.text)),
        bans: v.bans.map((b) => withEnrichment(b, look(b.address.text))),
        sessions: v.sessions.map((s) => withEnrichment(s, look(s.src))),
      });
    },
    { params: t.Object({ ip: t.String({ maxLength: 200, description: "one address" }) }), response: { 200: Explanation, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "What blocks this address, and why", tags: ["bans"] } },
  );
}
