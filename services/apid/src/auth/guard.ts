import { problem } from "../http/problem.ts";
import type { FailLimiter } from "./fail-limiter.ts";
import { needOf } from "./policy.ts";
import { allows, type Principal, type Tokens } from "./tokens.ts";

export interface GuardDeps {
  tokens: Tokens;
  limiter: FailLimiter;
  onFailure?: (kind: "missing" | "invalid" | "scope" | "limited") => void;
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Authenticates one request before routing: a Response to send instead (401/403/429), or the
 * principal (undefined for the open health route).
 */
export async function guard(request: Request, path: string, source: string, deps: GuardDeps): Promise<Response | Principal | undefined> {
  const need = needOf(request.method, path);
  if (need.kind === "none") return undefined;
  const wait = deps.limiter.blockedFor(source);
  if (wait > 0) {
    deps.onFailure?.("limited");
    return problem(429, { detail: `too many failed authentications from ${source}; retry in ${wait} s`, headers: { "retry-after": String(wait) } });
  }
  if (need.kind === "bouncer") {
    const key = request.headers.get("x-api-key");
    const p = key ? deps.tokens.verifyBouncer(key.trim()) : undefined;
    if (p) return p;
    deps.limiter.fail(source);
    deps.onFailure?.(key ? "invalid" : "missing");
    // CrowdSec's LAPI answers a missing or wrong bouncer key with 403; bouncers expect that.
    return problem(403, { detail: key ? "X-Api-Key is not a live bouncer key" : "X-Api-Key header required (a key from `honeymesh token create --bouncer`)" });
  }
  const header = request.headers.get("authorization");
  if (!header) {
    deps.onFailure?.("missing");
    return problem(401, { detail: "Authorization: Bearer <token> required", headers: { "www-authenticate": 'Bearer realm="honeymesh"' } });
  }
  const m = BEARER.exec(header);
  const p = m ? await deps.tokens.verifyBearer(m[1]!) : undefined;
  if (!p) {
    deps.limiter.fail(source);
    deps.onFailure?.("invalid");
    return problem(401, { detail: "the bearer token is invalid, expired or revoked", headers: { "www-authenticate": 'Bearer realm="honeymesh", error="invalid_token"' } });
  }
  if (!allows(p.scope, need.scope)) {
    deps.onFailure?.("scope");
    return problem(403, { detail: `this route needs scope ${need.scope}; the token has ${p.scope}`, headers: { "www-authenticate": `Bearer realm="honeymesh", error="insufficient_scope", scope="${need.scope}"` } });
  }
  return p;
}
