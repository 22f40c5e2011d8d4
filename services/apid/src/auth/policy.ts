import { isDashboardPath } from "../dashboard/paths.ts";
import type { Scope } from "./token-store.ts";

export type Need = { kind: "none" } | { kind: "bearer"; scope: Scope } | { kind: "bouncer" };

const BOUNCER_PATHS = new Set(["/v1/decisions/stream", "/v1/decisions", "/v1/usage-metrics"]);

/**
 * What a request needs, from its method and path alone, decided before routing and body
 * validation: an unauthenticated caller learns nothing about routes or bodies (401 first).
 * /v1/health is the only API route open to all (DESIGN §7); the dashboard's page and assets are
 * open too (they hold no data).
 */
export function needOf(method: string, path: string): Need {
  if (path === "/v1/health") return { kind: "none" };
  if ((method === "GET" || method === "HEAD") && isDashboardPath(path)) return { kind: "none" };
  if (BOUNCER_PATHS.has(path)) return { kind: "bouncer" };
  if (path === "/v1/tokens" || path.startsWith("/v1/tokens/") || path === "/v1/mode") return method === "GET" || method === "HEAD" ? { kind: "bearer", scope: path === "/v1/mode" ? "read" : "admin" } : { kind: "bearer", scope: "admin" };
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return { kind: "bearer", scope: "read" };
  return { kind: "bearer", scope: "write" };
}
