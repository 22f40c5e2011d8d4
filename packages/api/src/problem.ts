import { Type, type Static } from "@sinclair/typebox";

/**
 * RFC 9457 problem details: every error apid answers (content type application/problem+json).
 * Extension members: `field` and `errors` name what was wrong with a request, `reason` is
 * enforcerd's refusal code for a refused write.
 */
export const Problem = Type.Object(
  {
    type: Type.String({ description: "always about:blank" }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ description: "what was wrong, for people" }),
    field: Type.Optional(Type.String({ description: "the offending request field" })),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    reason: Type.Optional(Type.String({ description: "enforcerd's refusal code (allowlisted, tombstoned, …)" })),
  },
  { additionalProperties: true, description: "RFC 9457 problem details" },
);
export type Problem = Static<typeof Problem>;

/** The problems every route may answer (malformed request, no or bad token, scope, rate limit). */
export const COMMON_PROBLEMS = { 400: Problem, 401: Problem, 403: Problem, 429: Problem } as const;

/** A page of a cursor-paginated list. */
export const Page = <T extends import("@sinclair/typebox").TSchema>(item: T, description: string) =>
  Type.Object({
    items: Type.Array(item),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: "pass as ?cursor= for the next page; null on the last" }),
  }, { description });
