import { Elysia, t } from "elysia";
import { COMMON_PROBLEMS, Problem } from "@honeymesh/api/problem";
import { TokenCreated, TokenList, TokenRevoked } from "@honeymesh/api/tokens";
import { problem } from "../http/problem.ts";
import { json } from "../http/respond.ts";
import type { TokenStore } from "../auth/token-store.ts";
import type { Tokens } from "../auth/tokens.ts";
import { needs } from "../auth/scope.ts";

/** Token management (admin): create shows the secret once; list never does; revoke is immediate. */
export function tokenRoutes(tokens: Tokens, store: TokenStore, onRevoke: (id: string) => void = () => {}) {
  return new Elysia({ name: "tokens", normalize: false })
    .get(
      "/v1/tokens",
      () =>
        json({
          items: store.list().map((r) => ({ id: r.id, name: r.name, kind: r.kind, scope: r.scope, created_at: r.createdAt, expires_at: r.expiresAt, revoked_at: r.revokedAt })),
        }),
      { response: { 200: TokenList, ...COMMON_PROBLEMS }, detail: { ...needs("admin"), summary: "List tokens and bouncer keys", tags: ["tokens"] } },
    )
    .post(
      "/v1/tokens",
      async ({ body }) => {
        const ttlS = body.ttl_s ?? 0;
        const made = body.kind === "bouncer" ? tokens.createBouncer(body.name, ttlS) : await tokens.createBearer(body.name, body.scope ?? "read", ttlS);
        if (!made) return problem(409, { detail: "token limit reached; revoke unused tokens first" });
        const r = made.row;
        return json({ id: r.id, name: r.name, kind: r.kind, scope: r.scope, created_at: r.createdAt, expires_at: r.expiresAt, token: made.token }, 201);
      },
      {
        body: t.Object(
          {
            name: t.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9 ._@()-]+$" }),
            scope: t.Optional(t.Union([t.Literal("read"), t.Literal("write"), t.Literal("admin")], { error: "scope: expected read, write or admin" })),
            kind: t.Optional(t.Union([t.Literal("bearer"), t.Literal("bouncer")], { default: "bearer", error: "kind: expected bearer or bouncer" })),
            ttl_s: t.Optional(t.Integer({ minimum: 0, maximum: 315_360_000, description: "0 = no expiry" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: TokenCreated, ...COMMON_PROBLEMS, 409: Problem },
        detail: { ...needs("admin"), summary: "Create a bearer token or a CrowdSec bouncer key", tags: ["tokens"] },
      },
    )
    .delete(
      "/v1/tokens/:id",
      ({ params }) => {
        const r = store.revoke(params.id);
        if (r) onRevoke(r.id);
        return r ? json({ id: r.id, revoked_at: r.revokedAt }) : problem(404, { detail: `no token with id ${params.id}` });
      },
      { params: t.Object({ id: t.String({ maxLength: 64 }) }), response: { 200: TokenRevoked, ...COMMON_PROBLEMS, 404: Problem }, detail: { ...needs("admin"), summary: "Revoke a token", tags: ["tokens"] } },
    );
}
