/**
 * bench/logd: lines per second through a followed file with the sshd jail (Fail2Ban's sshd
 * filter, date detection, SQLite commit per batch), and the process's RSS afterwards.
 * Goals (issue 15): ≥ 50 000 lines/s, RSS ≤ 60 MB.   bun bench/logd/main.ts [lines]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import * as schema from "@honeymesh/tables/logd";
import { Jail } from "../../services/logd/src/jail.ts";
import { LogdStore } from "../../services/logd/src/logd-store.ts";
import { FileSource } from "../../services/logd/src/source.ts";

const N = Number(process.argv[2] ?? 200_000);
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
  console.log(`bench/logd: ${n} lines in ${s.toFixed(2)} s = ${Math.round(rate)} lines/s (goal ≥ 50000: ${rate >= 50_000 ? "met" : "NOT MET"}); failures ${jail.failures}, fired ${fired}; RSS ${rss.toFixed(1)} MB, ${rss0.toFixed(1)} MB before reading (goal ≤ 60: ${rss <= 60 ? "met" : "NOT MET"})`);
  src.close();
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
