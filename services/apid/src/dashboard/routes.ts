import { join } from "node:path";
import { Elysia } from "elysia";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import { WhoAmI } from "@honeymesh/api/whoami";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import type { Principal } from "../auth/tokens.ts";
import { needs } from "../auth/scope.ts";
import { json } from "../http/respond.ts";
import { pathOf } from "../http/app.ts";
import { DashboardAssets, notBuilt } from "./static-assets.ts";

export const DASHBOARD_DIR = join(SOURCE_ROOT, "dashboard", "dist");

/**
 * The web dashboard at `/` (static, no token: see isDashboardPath) and `/v1/whoami`, which the
 * page uses to check a token and to learn its scope (a read token gets no write controls).
 */
export function dashboardRoutes(principalOf: (r: Request) => Principal | undefined, nodeId: string, dir = DASHBOARD_DIR) {
  const assets = DashboardAssets.load(dir);
  const serve = ({ request }: { request: Request }) => (assets ? assets.serve(request, pathOf(request.url)) : notBuilt(dir));
  const detail = { hide: true, ...needs("none") };
  return new Elysia({ name: "dashboard", normalize: false })
    .get("/", serve, { detail })
    .head("/", serve, { detail })
    .get("/index.html", serve, { detail })
    .get("/assets/*", serve, { detail })
    .head("/assets/*", serve, { detail })
    .get(
      "/v1/whoami",
      ({ request }) => {
        const p = principalOf(request);
        return json({ name: p?.name ?? "", scope: p?.scope ?? "read", node: nodeId });
      },
      { response: { 200: WhoAmI, ...COMMON_PROBLEMS }, detail: { ...needs("read"), summary: "The calling token's name and scope (used by the dashboard)", tags: ["status"] } },
    );
}
