// Builds the dashboard into dashboard/dist: content-hashed JS and CSS under assets/, an
// index.html that names them, and .gz/.br copies of every text file for apid to serve as they are
// (DESIGN §7; apid never compresses per request). Run at install by scripts/setup.sh.
//   bun dashboard/build.ts   (or: bun run --cwd dashboard build)
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const HERE = import.meta.dir;
const DIST = join(HERE, "dist");

rmSync(DIST, { recursive: true, force: true });
mkdirSync(join(DIST, "assets"), { recursive: true });

const out = await Bun.build({
  entrypoints: [join(HERE, "src/main.tsx")],
  outdir: DIST,
  target: "browser",
  minify: true,
  splitting: false,
  sourcemap: "none",
  naming: { entry: "assets/[name]-[hash].[ext]", asset: "assets/[name]-[hash].[ext]", chunk: "assets/[name]-[hash].[ext]" },
  define: { "process.env.NODE_ENV": '"production"' },
});
if (!out.success) {
  for (const log of out.logs) console.error(log);
  process.exit(1);
}
const rel = (p: string) => relative(DIST, p).split("\\").join("/");
const js = out.outputs.find((o) => o.kind === "entry-point" && o.path.endsWith(".js"));
const css = out.outputs.find((o) => o.path.endsWith(".css"));
if (!js || !css) throw new Error("dashboard build: expected one .js entry and one .css output");

// The icon is hashed like the rest so it can be cached forever.
const icon = readFileSync(join(HERE, "src/icon.svg"));
const iconName = `assets/icon-${Bun.hash(icon).toString(36)}.svg`;
writeFileSync(join(DIST, iconName), icon);

const template = readFileSync(join(HERE, "src/index.html"), "utf8");
const html = template.replace("%CSS%", `/${rel(css.path)}`).replace("%JS%", `/${rel(js.path)}`).replace("%ICON%", `/${iconName}`);
writeFileSync(join(DIST, "index.html"), html);

/** Every file under dist, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

let raw = 0;
let br = 0;
for (const f of files(DIST)) {
  if (!/\.(js|css|html|svg|json)$/.test(f)) continue;
  const data = readFileSync(f);
  writeFileSync(`${f}.gz`, Bun.gzipSync(data, { level: 9 }));
  const b = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  writeFileSync(`${f}.br`, b);
  raw += data.length;
  br += b.length;
}
console.log(`dashboard: built ${rel(js.path)}, ${rel(css.path)} (${(raw / 1024).toFixed(1)} KiB, ${(br / 1024).toFixed(1)} KiB brotli) → ${relative(process.cwd(), DIST) || "."}`);
