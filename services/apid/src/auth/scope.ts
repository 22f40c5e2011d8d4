/**
 * What a route needs, declared beside the route (`detail: { ...needs("admin"), … }`) and read back
 * from the matched route by the guard, so that no path string decides access (issue 13).
 * `none`: open (health, the dashboard's static files); `bouncer`: a CrowdSec bouncer key
 * (X-Api-Key); read < write < admin: bearer token scopes.
 */
export type RouteScope = "none" | "read" | "write" | "admin" | "bouncer";

export const SCOPE_KEY = "x-honeymesh-scope";
/** Routes that also take the token as an HTTP Basic password (RFC 7617): TAXII clients send Basic. */
export const BASIC_KEY = "x-honeymesh-basic";

/** The route's OpenAPI detail members that declare its scope (documented under `x-honeymesh-scope`). */
export function needs(scope: RouteScope, opts: { basic?: boolean } = {}): Record<string, unknown> {
  const security = scope === "none" ? [] : scope === "bouncer" ? [{ bouncer: [] }] : [{ bearer: [scope] }];
  return opts.basic ? { [SCOPE_KEY]: scope, [BASIC_KEY]: true, security } : { [SCOPE_KEY]: scope, security };
}

export function basicOf(detail: unknown): boolean {
  return Boolean(detail && typeof detail === "object" && (detail as Record<string, unknown>)[BASIC_KEY] === true);
}

export function scopeOf(detail: unknown): RouteScope | undefined {
  const v = detail && typeof detail === "object" ? (detail as Record<string, unknown>)[SCOPE_KEY] : undefined;
  return v === "none" || v === "read" || v === "write" || v === "admin" || v === "bouncer" ? v : undefined;
}
