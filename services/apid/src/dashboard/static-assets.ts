import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { problem } from "../http/problem.ts";
import { notModified, pickCoding, type Coding } from "./encoding.ts";

interface Variant {
  body: Uint8Array;
  etag: string;
}

interface Asset {
  type: string;
  immutable: boolean;
  variants: Partial<Record<Coding, Variant>>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".woff2": "font/woff2",
};
/** The built dashboard is ~100 KiB; anything near this cap is not ours and is not loaded. */
const MAX_TOTAL = 16 * 1024 * 1024;
const MAX_FILES = 256;

// The page runs only its own script and style; it talks only to this origin; nobody frames it.
const SECURITY: Record<string, string> = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * The built dashboard (dashboard/dist), read once at start into memory with its precompressed
 * .br/.gz copies. Hashed assets are cached for a year (immutable); index.html is revalidated on
 * every load (no-cache + ETag), so a rebuilt dashboard is picked up at once.
 */
export class DashboardAssets {
  private readonly files = new Map<string, Asset>();

  private constructor(readonly dir: string) {}

  static load(dir: string): DashboardAssets | undefined {
    if (!existsSync(join(dir, "index.html"))) return undefined;
    const a = new DashboardAssets(dir);
    let total = 0;
    const all = walk(dir);
    for (const file of all.filter((f) => !f.endsWith(".gz") && !f.endsWith(".br")).slice(0, MAX_FILES)) {
      const path = `/${relative(dir, file).split("\\").join("/")}`;
      const raw = readFileSync(file);
      const tag = Bun.hash(raw).toString(36);
      const variants: Asset["variants"] = { identity: { body: raw, etag: `"${tag}"` } };
      for (const [coding, ext] of [["br", ".br"], ["gzip", ".gz"]] as const) {
        if (existsSync(file + ext)) variants[coding] = { body: readFileSync(file + ext), etag: `"${tag}-${coding}"` };
      }
      total += Object.values(variants).reduce((n, v) => n + v.body.length, 0);
      if (total > MAX_TOTAL) break;
      a.files.set(path, { type: TYPES[extname(file)] ?? "application/octet-stream", immutable: path.startsWith("/assets/"), variants });
    }
    return a;
  }

  get size(): number {
    return this.files.size;
  }

  serve(request: Request, path: string): Response {
    const asset = this.files.get(path === "/" ? "/index.html" : path);
    if (!asset) return problem(404, { detail: `no dashboard asset ${path.slice(0, 200)}` });
    const coding = pickCoding(request.headers.get("accept-encoding"), { br: Boolean(asset.variants.br), gzip: Boolean(asset.variants.gzip) });
    const v = asset.variants[coding]!;
    const headers: Record<string, string> = {
      ...SECURITY,
      "content-type": asset.type,
      "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      etag: v.etag,
      vary: "Accept-Encoding",
    };
    if (coding !== "identity") headers["content-encoding"] = coding;
    if (notModified(request.headers.get("if-none-match"), v.etag)) return new Response(null, { status: 304, headers });
    headers["content-length"] = String(v.body.length);
    return new Response(request.method === "HEAD" ? null : v.body, { headers });
  }
}

/** What `/` answers when the dashboard was not built: the API works, the page says how to fix it. */
export function notBuilt(dir: string): Response {
  return problem(503, { detail: `the dashboard is not built (${join(dir, "index.html")} is missing): run \`bun run --cwd dashboard build\` (scripts/setup.sh does it)` });
}
