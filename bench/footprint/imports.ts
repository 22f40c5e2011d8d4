// bench/footprint/imports: what each library costs in RSS when a process imports it, measured in
// a fresh bun process per library (RSS after the import and a full GC, minus a bare process's).
// Tells which imports are worth making lazy in a service that does not use them at idle.
// usage: bun bench/footprint/imports.ts [module ...]
const MODULES = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["@sinclair/typebox", "@sinclair/typebox/compiler", "@sinclair/typebox/value", "@opentelemetry/api", "jose", "drizzle-orm", "drizzle-orm/bun-sqlite", "drizzle-orm/bun-sqlite/migrator", "smol-toml", "mqtt", "aedes", "elysia", "@elysiajs/openapi", "ssh2", "libp2p", "@libp2p/gossipsub", "@chainsafe/libp2p-noise", "@libp2p/tcp", "file-type"];

const probe = (mod: string | undefined) => {
  const code = `${mod ? `await import(${JSON.stringify(mod)});` : ""}Bun.gc(true);await Bun.sleep(50);Bun.gc(true);const s=await Bun.file("/proc/self/status").text();console.log(/VmRSS:\\s+(\\d+)/.exec(s)[1]);`;
  const runs = [0, 1, 2].map(() => Number(Bun.spawnSync([process.execPath, "-e", code], { cwd: `${import.meta.dir}/../..` }).stdout.toString().trim()) / 1024);
  return runs.sort((a, b) => a - b)[1]!;
};
const base = probe(undefined);
console.log(`bare bun process: ${base.toFixed(1)} MB RSS`);
console.log("module                              + RSS MB");
for (const m of MODULES) console.log(`${m.padEnd(36)}${(probe(m) - base).toFixed(1).padStart(8)}`);
