import { problem } from "../http/problem.ts";
import type { FailLimiter } from "./fail-limiter.ts";
import type { RouteMatch } from "./route-table.ts";
import { allows, type Principal, type Tokens } from "./tokens.ts";

export interface GuardDeps {
  tokens: Tokens;
  limiter: FailLimiter;
  onFailure?: (kind: "missing" | "invalid" | "scope" | "limited" | "malformed") => void;
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const BASIC = /^Basic +([A-Za-z0-9+/]{1,8192}={0,2}) *$/i;

/** The password of an HTTP Basic credential (RFC 7617 §2: user-id ":" password); the user name is ignored. */
function basicPassword(header: string): string | undefined {
  const m = BASIC.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = text.indexOf(":");
  return i < 0 ? undefined : text.slice(i + 1).trim();
}

/** Whoever opened the local socket: file permissions (0660, group honeymesh) already decided. */
export const SOCKET_PRINCIPAL: Principal = Object.freeze({ id: "local-socket", name: "local socket", scope: "admin" });

const unauthorized = (detail: string, error?: string) =>
  problem(401, { detail, headers: { "www-authenticate": `Bearer realm="honeymesh"${error ? `, error="${error}"` : ""}` } });

/**
 * Authenticates one request before routing, for the route the strict matcher found: a Response
 * to send instead (400/401/403/404/429), or the principal (undefined for open routes).
 * The credential is checked first and the failure limiter only afterwards, so that junk from one
 * address never locks out a valid token from the same address (127.0.0.1 is shared by every
 * local tool); only failures count, and only failures are refused with 429.
 */
export async function guard(request: Request, match: RouteMatch, source: string, viaSocket: boolean, deps: GuardDeps): Promise<Response | Principal | undefined> {
  if (match.kind === "malformed") {
    deps.onFailure?.("malformed");
    return problem(400, { detail: match.detail });
  }
  const need = match.kind === "route" ? match.route.scope : undefined;
  if (need === "none") return undefined;
  if (viaSocket) return match.kind === "route" ? SOCKET_PRINCIPAL : notFound(request);

  const key = request.headers.get("x-api-key");
  const header = request.headers.get("authorization");
  // Unknown routes: any valid credential learns 404, none learns nothing (401).
  const wantsBouncer = need === "bouncer" || (need === undefined && key !== null && header === null);
  let p: Principal | undefined;
  if (wantsBouncer) {
    if (key) p = deps.tokens.verifyBouncer(key.trim());
  } else if (header) {
    const m = BEARER.exec(header);
    // Routes that declare it (TAXII) also take the token as a Basic password: TAXII 2.1 §1.6.8 has clients use HTTP Basic.
    const token = m ? m[1]! : match.kind === "route" && match.route.basic ? basicPassword(header) : undefined;
    p = token ? await deps.tokens.verifyBearer(token) : undefined;
  }
  if (p) {
    if (need === undefined) return notFound(request);
    if (need !== "bouncer" && !allows(p.scope, need)) {
      deps.onFailure?.("scope");
      return problem(403, { detail: `this route needs scope ${need}; the token has ${p.scope}`, headers: { "www-authenticate": `Bearer realm="honeymesh", error="insufficient_scope", scope="${need}"` } });
    }
    return p;
  }
  const given = wantsBouncer ? key : header;
  if (!given) {
    deps.onFailure?.("missing");
    // CrowdSec's LAPI answers a missing or wrong bouncer key with 403; bouncers expect that.
    if (wantsBouncer) return problem(403, { detail: "X-Api-Key header required (a key from `honeymesh token create --bouncer`)" });
    return unauthorized("Authorization: Bearer <token> required");
  }
  const wait = deps.limiter.blockedFor(source);
  if (wait > 0) {
    deps.onFailure?.("limited");
    return problem(429, { detail: `too many failed authentications from ${source}; retry in ${wait} s`, headers: { "retry-after": String(wait) } });
  }
  deps.limiter.fail(source);
  deps.onFailure?.("invalid");
  if (wantsBouncer) return problem(403, { detail: "X-Api-Key is not a live bouncer key" });
  return unauthorized("the bearer token is invalid, expired or revoked", "invalid_token");
}

function notFound(request: Request): Response {
  const url = request.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return problem(404, { detail: `no route ${request.method} ${url.slice(start < 0 ? url.length : start).split("?")[0]!.slice(0, 200)}` });
}
