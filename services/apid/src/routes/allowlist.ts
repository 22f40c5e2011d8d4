import { Elysia, t } from "elysia";
import { AllowList, ModeState } from "@honeymesh/api/allowlist";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { AllowRequest, WRITE_RESPONSES } from "@honeymesh/api/writes";
import { MODES } from "@honeymesh/schema/control";
import { needs } from "../auth/scope.ts";
import { tooBroad, type AllowLimits } from "../auth/allow-breadth.ts";
import { badField } from "../http/problem.ts";
import { decodeParam, json, outcome } from "../http/respond.ts";
import type { Controls } from "../write/controls.ts";

/**
 * The allowlist (system, config and operator entries, each with its source) and the enforcement
 * mode. Changing either can switch enforcement off for the whole node: admin only.
 */
export function allowRoutes(controls: Controls, limits: AllowLimits) {
  return new Elysia({ name: "allowlist", normalize: false })
    .get("/v1/allowlist", () => json({ items: controls.listAllow() }), { response: { 200: AllowList, ...COMMON_PROBLEMS }, detail: { summary: "Allowlist entries with their source (system, config, operator)", tags: ["allowlist"], ...needs("read") } })
    .post(
      "/v1/allowlist",
      async ({ body }) => {
        const broad = tooBroad(body.address, body.force === true, limits);
        return broad ? badField("force", broad) : outcome(await controls.addAllow(body.address, body.note ?? ""));
      },
      {
      body: AllowRequest,
      response: WRITE_RESPONSES,
      detail: { summary: "Add an allowlist entry (admin); every ban it covers ends (the answer lists them)", tags: ["allowlist"], ...needs("admin") },
      },
    )
    .delete("/v1/allowlist/:address", async ({ params }) => outcome(await controls.removeAllow(decodeParam(params.address))), {
      params: t.Object({ address: t.String({ maxLength: 200, description: "address or CIDR (percent-encode the /)" }) }),
      response: WRITE_RESPONSES,
      detail: { summary: "Remove an operator allowlist entry (admin)", tags: ["allowlist"], ...needs("admin") },
    })
    .get("/v1/mode", () => json(controls.mode()), { response: { 200: ModeState, ...COMMON_PROBLEMS }, detail: { summary: "Enforcement mode", tags: ["mode"], ...needs("read") } })
    .put("/v1/mode", async ({ body }) => outcome(await controls.setMode(body.mode)), {
      body: t.Object({ mode: t.Union(MODES.map((m) => t.Literal(m)), { error: `mode: expected ${MODES.join(", ")}` }) }, { additionalProperties: false }),
      response: WRITE_RESPONSES,
      detail: { summary: "Switch the enforcement mode (admin)", tags: ["mode"], ...needs("admin") },
    });
}
