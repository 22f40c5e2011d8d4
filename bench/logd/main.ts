/**
 * bench/logd: lines per second through a followed file with the sshd jail (Fail2Ban's sshd
 * filter, date detection, SQLite commit per batch), and the process's RSS afterwards.
 * Goals (issue 15): ≥ 50 000 lines/s, RSS ≤ 60 MB.   bun bench/logd/main.ts [lines]
 *
 * The measuring process runs with the JS engine settings logd is launched with (the node's
 * default heap hint and logd's own, packages/runtime/src/engine-env.ts): the bench re-executes
 * itself with them, so it measures logd as the units, compose and `honeymesh up` run it. Besides
 * the RSS the goal is checked on, it prints its split (anonymous vs the Bun executable's file
 * pages, shared by every service) and the RSS once the allocator has returned freed pages.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { engineEnv } from "@honeymesh/runtime/engine-env";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import * as schema from "@honeymesh/tables/logd";
import { Jail } from "../../services/logd/src/jail.ts";
import { LogdStore } from "../../services/logd/src/logd-store.ts";
import { FileSource } from "../../services/logd/src/source.ts";

const AS_LAUNCHED = "--as-launched";
if (!process.argv.includes(AS_LAUNCHED)) {
  // imported here only: the measuring child loads nothing logd does not
  const { ConfigSchema } = await import("@honeymesh/config/schema");
  const hint = (ConfigSchema.properties.node.properties.memory_hint_mb as { default: number }).default;
  const child = Bun.spawnSync([process.execPath, import.meta.path, ...process.argv.slice(2), AS_LAUNCHED], { env: { ...process.env, ...engineEnv("logd", hint) }, stdout: "inherit", stderr: "inherit" });
  process.exit(child.exitCode ?? 1);
}
const N = Number(process.argv.slice(2).find((a) => a !== AS_LAUNCHED) ?? 200_000);
const status = () => {
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024;
  return `anonymous ${kb("RssAnon").toFixed(1)} MB + file ${kb("RssFile").toFixed(1)} MB`;
};
const dir = mkdtempSync(join(tmpdir(), "bench-logd-"));
try {
  const path = join(dir, "auth.log");
  // the log is written by a child process, so this process's RSS is logd's work only
  const gen = Bun.spawnSync([process.execPath, join(import.meta.dir, "gen.ts"), path, String(N)], { stderr: "inherit" });
  if (gen.exitCode !== 0) throw new Error("generator failed");
  const store = new LogdStore(openStore({ path: join(dir, "logd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "../../services/logd/drizzle") }));
  const jail = new Jail({ name: "sshd", maxretry: 5, findtime_s: 600, bantime_s: 600, ignore: () => false }, loadFilter("sshd"));
  let fired = 0;
  const src = new FileSource(path, [jail], store, () => fired++);
  Bun.gc(true);
  const rss0 = process.memoryUsage().rss / 1048576;
  const t0 = performance.now();
  const n = src.step();
  const s = (performance.now() - t0) / 1000;
  Bun.gc(true);
  const rss = process.memoryUsage().rss / 1048576;
  const rate = n / s;
  const split = status();
  console.log(`bench/logd: ${n} lines in ${s.toFixed(2)} s = ${Math.round(rate)} lines/s (goal ≥ 50000: ${rate >= 50_000 ? "met" : "NOT MET"}); failures ${jail.failures}, fired ${fired}; RSS ${rss.toFixed(1)} MB, ${rss0.toFixed(1)} MB before reading (goal ≤ 60: ${rss <= 60 ? "met" : "NOT MET"})`);
  await Bun.sleep(1000);
  const settled = process.memoryUsage().rss / 1048576;
  console.log(`bench/logd: RSS ${rss.toFixed(1)} MB = ${split}; ${settled.toFixed(1)} MB after 1 s idle (${status()})`);
  src.close();
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
