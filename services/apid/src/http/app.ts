import { Elysia, ValidationError } from "elysia";
import { openapi } from "@elysiajs/openapi";
import { Counters } from "@honeymesh/bus/counters";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import { guard, type GuardDeps } from "../auth/guard.ts";
import { RouteTable, type RouteEntry } from "../auth/route-table.ts";
import type { Principal } from "../auth/tokens.ts";
import { ApidError } from "../errors.ts";
import { problem } from "./problem.ts";

export interface AppDeps extends GuardDeps {
  logger: Logger;
  requests: Counters<string>;
  /** Rewrites an error response for a path (TAXII's routes answer TAXII error messages, not RFC 9457). */
  reshape?: (path: string, r: Response) => Response | Promise<Response>;
}

/** `scheme://host/path?query` → `/path`, without building a URL object per request. */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.length;
  const q = url.indexOf("?", start);
  if (q >= 0) end = q;
  const h = url.indexOf("#", start);
  if (h >= 0 && h < end) end = h;
  return url.slice(start, end);
}

/** Field names from a validation error: `/ttl_s` → `ttl_s`, `/reason/0` → `reason[0]`. */
function fieldOf(type: string, path: string | undefined): string {
  const parts = (path ?? "").split("/").filter(Boolean);
  const name = parts.map((p, i) => (i > 0 && /^\d+$/.test(p) ? `[${p}]` : `${i > 0 ? "." : ""}${p}`)).join("");
  return name || type;
}

/**
 * The HTTP shell: authentication before routing, RFC 9457 problems for every error (a malformed
 * request is a 4xx, never a 500), OpenAPI at /docs. Route groups are added by the caller.
 */
export function createApp(deps: AppDeps) {
  const principals = new WeakMap<Request, Principal>();
  const routed = new WeakMap<Request, RouteEntry>();
  const viaSocket = new WeakSet<Request>();
  const gate = new RateLimitedGate();
  let table: RouteTable | undefined;
  const shaped = (request: Request, r: Response) => (deps.reshape ? deps.reshape(pathOf(request.url), r) : r);
  const app = new Elysia({ name: "apid", normalize: false })
    .use(
      openapi({
        path: "/docs",
        documentation: {
          info: { title: "HoneyMesh API", version: "1", description: "Operator API of a HoneyMesh node (DESIGN §7). Bearer tokens with scopes read, write, admin; each operation's `x-honeymesh-scope` says which it needs." },
          components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" }, bouncer: { type: "apiKey", in: "header", name: "X-Api-Key" } } },
          security: [{ bearer: [] }],
        },
      }),
    )
    .onRequest(async ({ request, server }) => {
      if (!table) return shaped(request, problem(503, { detail: "apid is starting" }));
      const socket = viaSocket.has(request);
      const source = socket ? "unix" : (server?.requestIP(request)?.address ?? "unknown");
      const match = table.match(request.method, pathOf(request.url));
      const out = await guard(request, match, source, socket, deps);
      if (out instanceof Response) return shaped(request, out);
      if (match.kind === "route") routed.set(request, match.route);
      if (out) principals.set(request, out);
    })
    // The router must have picked the route the guard authorised; anything else is a bug here,
    // and refusing it keeps a permissive router (trailing slashes, case) from widening access.
    .onBeforeHandle({ as: "global" }, ({ request, route }) => {
      const r = routed.get(request);
      if (!r || r.path !== route) {
        deps.logger.error("router and guard disagree; refused", { method: request.method, path: pathOf(request.url).slice(0, 200), route: String(route), guarded: r?.path ?? "" });
        return shaped(request, problem(404, { detail: `no route ${request.method} ${pathOf(request.url).slice(0, 200)}` }));
      }
    })
    .onAfterResponse(({ set, response }) => {
      const status = response instanceof Response ? response.status : typeof set.status === "number" ? set.status : 200;
      deps.requests.inc(`${Math.floor(status / 100)}xx`);
    })
    .onError(({ code, error, request }) => shaped(request, errorResponse(code, error, request)));
  function errorResponse(code: unknown, error: unknown, request: Request): Response {
      if (error instanceof ValidationError) {
        // Schemas carry `error: "<field>: <what is allowed>"` where Elysia's own message would not name the field.
        const custom = (error as { customError?: unknown }).customError;
        if (typeof custom === "string") {
          const field = custom.slice(0, Math.max(0, custom.indexOf(":"))) || error.type;
          return problem(400, { detail: `${error.type === "property" ? "query" : error.type} ${custom}`, field, errors: [{ field, message: custom }] });
        }
        const all = error.all.slice(0, 8).map((e) => ({ field: fieldOf(error.type, "path" in e ? e.path : undefined), message: e.message || e.summary || "invalid" }));
        const first = all[0] ?? { field: error.type, message: "invalid" };
        return problem(400, { detail: `${error.type} ${first.field}: ${first.message}`, field: first.field, errors: all });
      }
      if (error instanceof ApidError) return problem(error.status, { detail: error.message, ...error.extra });
      switch (code) {
        case "PARSE":
          return problem(400, { detail: `the body could not be parsed: ${String((error as Error).message ?? "").slice(0, 200)}` });
        case "NOT_FOUND":
          return problem(404, { detail: `no route ${request.method} ${pathOf(request.url).slice(0, 200)}` });
        case "INVALID_COOKIE_SIGNATURE":
        case "INVALID_FILE_TYPE":
          return problem(400, { detail: String((error as Error).message ?? code) });
      }
      const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 500;
      if (status >= 400 && status < 500) return problem(status, { detail: String((error as Error).message ?? "bad request").slice(0, 300) });
      const suppressed = gate.pass(String(code));
      if (suppressed !== undefined) deps.logger.error("request failed", { code: String(code), err: error as Error, path: pathOf(request.url).slice(0, 200), suppressed });
      return problem(500, { detail: "internal error; it has been logged" });
  }
  return {
    app,
    principalOf: (r: Request) => principals.get(r),
    /** Call once every route is added: builds the guard's table (throws on a route without a scope). */
    seal: () => {
      table = new RouteTable(app.routes);
      return table;
    },
    /** Serves a request that arrived on the local socket (treated as admin, see auth/local-socket.ts). */
    handleLocal: (r: Request) => {
      viaSocket.add(r);
      return app.handle(r);
    },
  };
}
