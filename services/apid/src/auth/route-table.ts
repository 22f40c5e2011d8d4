import { ApidError } from "../errors.ts";
import { basicOf, scopeOf, type RouteScope } from "./scope.ts";

export interface RouteEntry {
  method: string;
  /** Elysia's pattern, e.g. `/v1/bans/:address`; compared with the route Elysia matched. */
  path: string;
  scope: RouteScope;
  /** The route also accepts the token as an HTTP Basic password (TAXII clients). */
  basic: boolean;
  segments: string[];
}

export type RouteMatch = { kind: "route"; route: RouteEntry } | { kind: "malformed"; detail: string } | { kind: "unknown" };

/** Parameters that may carry a percent-encoded "/" (a CIDR); every other segment may not. */
const SLASH_PARAMS = new Set([":address"]);
const ENCODED_SLASH = /%2f|%5c/i;

/** Routes the framework itself adds (OpenAPI) and that carry no declaration of ours. */
const BUILTIN: Record<string, RouteScope> = { "/docs": "read", "/docs/json": "read" };

/**
 * The routes apid serves with the scope each declares, and the one strict matcher the guard uses
 * before routing. Bun has already resolved dot segments (WHATWG URL parsing) in request.url, so
 * the guard and the router see the same path; what remains non-canonical (a trailing or doubled
 * "/", an encoded "/" outside an address) is refused here with 400, and a path that is not one
 * route's exact form (another case, another method) matches nothing. The router is then checked
 * to have picked the same route (see app.ts), so a permissive router can never widen access.
 */
export class RouteTable {
  private readonly byMethod = new Map<string, RouteEntry[]>();
  /** First segments of routes whose exact form ends in "/" (taxii2): an unknown path there is unknown, not malformed. */
  private readonly trailingRoots = new Set<string>();

  constructor(routes: readonly { method: string; path: string; hooks?: { detail?: unknown } }[]) {
    for (const r of routes) {
      const scope = scopeOf(r.hooks?.detail) ?? BUILTIN[r.path];
      if (!scope) throw new ApidError("KEY", `route ${r.method} ${r.path} declares no scope (detail: needs(...))`);
      const entry = { method: r.method, path: r.path, scope, basic: basicOf(r.hooks?.detail), segments: r.path.split("/").slice(1) };
      if (r.path.length > 1 && r.path.endsWith("/")) this.trailingRoots.add(entry.segments[0]!);
      const list = this.byMethod.get(r.method) ?? [];
      list.push(entry);
      this.byMethod.set(r.method, list);
    }
    // Static segments before parameters before wildcards, as routers prefer them.
    const rank = (e: RouteEntry) => e.segments.map((s) => (s === "*" ? "2" : s.startsWith(":") ? "1" : "0")).join("");
    for (const list of this.byMethod.values()) list.sort((a, b) => rank(a).localeCompare(rank(b)));
  }

  get entries(): RouteEntry[] {
    return [...this.byMethod.values()].flat();
  }

  match(method: string, path: string): RouteMatch {
    if (path.length > 2048) return { kind: "malformed", detail: "path too long" };
    const segs = path.split("/").slice(1);
    // A trailing "/" is part of a route's exact form only where the route declares one (TAXII's
    // URLs all end in "/", TAXII 2.1 §1.6.4); elsewhere it stays refused below.
    const trailing = segs.length > 1 && segs[segs.length - 1] === "";
    const empty = `${path.slice(0, 200)}: empty path segment (trailing or doubled "/"); use the route's exact form`;
    if (path !== "/" && segs.some((s, i) => s === "" && !(trailing && i === segs.length - 1))) return { kind: "malformed", detail: empty };
    if (segs.some((s) => s === "." || s === ".." || /^(%2e|\.){1,2}$/i.test(s))) return { kind: "malformed", detail: "dot segment in path" };
    // HEAD is answered by a GET route unless one is declared for HEAD itself (RFC 9110 §9.3.2).
    const list = [...(this.byMethod.get(method) ?? []), ...(method === "HEAD" ? (this.byMethod.get("GET") ?? []) : [])];
    let slashOutside = false;
    for (const r of list) {
      const m = matchSegments(r.segments, path === "/" ? [""] : segs);
      if (m === "no") continue;
      if (m === "slash") {
        slashOutside = true;
        continue;
      }
      return { kind: "route", route: r };
    }
    if (slashOutside) return { kind: "malformed", detail: 'encoded "/" is allowed only in an address parameter' };
    if (trailing && !this.trailingRoots.has(segs[0]!)) return { kind: "malformed", detail: empty };
    return { kind: "unknown" };
  }
}

function matchSegments(pattern: string[], segs: string[]): "yes" | "no" | "slash" {
  let slash = false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === "*") {
      if (i >= segs.length) return "no";
      if (segs.slice(i).some((s) => ENCODED_SLASH.test(s))) slash = true;
      return slash ? "slash" : "yes";
    }
    const s = segs[i];
    if (s === undefined) return "no";
    if (p.startsWith(":")) {
      if (s === "") return "no";
      if (!SLASH_PARAMS.has(p) && ENCODED_SLASH.test(s)) slash = true;
      continue;
    }
    if (p !== s) return "no";
  }
  if (segs.length !== pattern.length) return "no";
  return slash ? "slash" : "yes";
}
