import { describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RouteTable } from "../auth/route-table.ts";
import { dashboardRoutes } from "./routes.ts";
import { notModified, pickCoding } from "./encoding.ts";
import { isDashboardPath } from "./paths.ts";
import { DashboardAssets } from "./static-assets.ts";

const both = { br: true, gzip: true };

describe("content coding (RFC 9110 §12.5.3)", () => {
  test("prefers br, honours q-values, q=0 and *", () => {
    expect(pickCoding("gzip, deflate, br", both)).toBe("br");
    expect(pickCoding("gzip;q=1, br;q=0.5", both)).toBe("gzip");
    expect(pickCoding("br;q=0, gzip", both)).toBe("gzip");
    expect(pickCoding("*;q=0", both)).toBe("identity");
    expect(pickCoding("*", both)).toBe("br");
    expect(pickCoding("identity", both)).toBe("identity");
    expect(pickCoding(null, both)).toBe("identity");
    expect(pickCoding("br", { br: false, gzip: true })).toBe("identity");
    expect(pickCoding("x-gzip", both)).toBe("gzip");
  });
  test("If-None-Match uses the weak comparison and accepts lists and *", () => {
    expect(notModified('"a", W/"b"', '"b"')).toBe(true);
    expect(notModified('"a"', '"b"')).toBe(false);
    expect(notModified("*", '"b"')).toBe(true);
    expect(notModified(null, '"b"')).toBe(false);
  });
});

describe("auth policy for the dashboard", () => {
  test("the page and assets are open to GET/HEAD; every API route still needs a token", () => {
    const table = new RouteTable(dashboardRoutes(() => undefined, "n1", "/nonexistent").routes);
    const scope = (m: string, p: string) => {
      const r = table.match(m, p);
      return r.kind === "route" ? r.route.scope : r.kind;
    };
    expect(scope("GET", "/")).toBe("none");
    expect(scope("HEAD", "/assets/main-abc.js")).toBe("none");
    expect(scope("POST", "/")).toBe("unknown");
    expect(scope("GET", "/v1/whoami")).toBe("read");
    expect(scope("GET", "/v1/whoami/")).toBe("malformed");
    expect(scope("GET", "/assets/a%2Fb.js")).toBe("malformed");
    expect(isDashboardPath("/assets/../v1/bans")).toBe(false);
    expect(isDashboardPath("/assetsx")).toBe(false);
  });
});

describe("DashboardAssets", () => {
  const dir = mkdtempSync(join(tmpdir(), "hm-dash-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>x</title>");
  writeFileSync(join(dir, "index.html.gz"), Bun.gzipSync(Buffer.from("<!doctype html><title>x</title>")));
  writeFileSync(join(dir, "assets", "a-123.js"), "console.log(1)");
  const assets = DashboardAssets.load(dir)!;
  const get = (path: string, headers: Record<string, string> = {}) => assets.serve(new Request(`http://x${path}`, { headers }), path);

  test("index.html: no-cache, gzip when asked and present, 304 on a matching ETag", async () => {
    const r = get("/", { "accept-encoding": "br, gzip" });
    expect(r.headers.get("content-encoding")).toBe("gzip");
    expect(r.headers.get("cache-control")).toBe("no-cache");
    expect(r.headers.get("vary")).toBe("Accept-Encoding");
    const again = get("/", { "accept-encoding": "gzip", "if-none-match": r.headers.get("etag")! });
    expect(again.status).toBe(304);
    // The identity representation has its own validator.
    expect(get("/", { "if-none-match": r.headers.get("etag")! }).status).toBe(200);
  });
  test("hashed assets are immutable; unknown ones are a 404 problem", async () => {
    const r = get("/assets/a-123.js");
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await r.text()).toBe("console.log(1)");
    expect(get("/assets/none.js").status).toBe(404);
  });
  test("a missing build loads nothing", () => {
    expect(DashboardAssets.load(join(dir, "nope"))).toBeUndefined();
  });
});
