import { Elysia, t } from "elysia";
import { decodeParam, json, outcome } from "../http/respond.ts";
import type { Controls } from "../write/controls.ts";

/** The allowlist: operator entries (CRUD, applied by enforcerd) and the fixed ones (system, config). */
export function allowRoutes(controls: Controls) {
  return new Elysia({ name: "allowlist", normalize: false })
    .get("/v1/allowlist", () => json(controls.listAllow()), { detail: { summary: "Allowlist entries", tags: ["allowlist"] } })
    .post("/v1/allowlist", async ({ body }) => outcome(await controls.addAllow(body.cidr, body.note ?? "")), {
      body: t.Object({ cidr: t.String({ minLength: 2, maxLength: 64, description: "address or CIDR" }), note: t.Optional(t.String({ maxLength: 256 })) }, { additionalProperties: false }),
      detail: { summary: "Add an allowlist entry", tags: ["allowlist"] },
    })
    .delete("/v1/allowlist/:cidr", async ({ params }) => outcome(await controls.removeAllow(decodeParam(params.cidr))), {
      params: t.Object({ cidr: t.String({ maxLength: 200 }) }),
      detail: { summary: "Remove an operator allowlist entry", tags: ["allowlist"] },
    })
    .get("/v1/mode", () => json(controls.mode()), { detail: { summary: "Enforcement mode", tags: ["mode"] } })
    .put("/v1/mode", async ({ body }) => outcome(await controls.setMode(body.mode)), {
      body: t.Object({ mode: t.Union([t.Literal("test"), t.Literal("enforce"), t.Literal("lockdown")], { error: "mode: expected test, enforce or lockdown" }) }, { additionalProperties: false }),
      detail: { summary: "Switch the enforcement mode (admin)", tags: ["mode"] },
    });
}
