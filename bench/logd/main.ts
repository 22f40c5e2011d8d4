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
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const s = String(i % 60).padStart(2, "0");
    const ip = `198.51.${(i >> 8) & 255}.${i & 255}`;
    // a realistic mix: most lines are not failures
    lines.push(
      i % 4 === 0
        ? `Nov 30 10:00:${s} host sshd[${1000 + (i % 5000)}]: Failed password for root from ${ip} port ${20000 + (i % 40000)} ssh2`
        : i % 4 === 1
          ? `Nov 30 10:00:${s} host sshd[${1000 + (i % 5000)}]: Connection closed by ${ip} port 22 [preauth]`
          : `Nov 30 10:00:${s} host CRON[${i}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
    );
  }
  const path = join(dir, "auth.log");
  writeFileSync(path, `${lines.join("\n")}\n`);
  const store = new LogdStore(openStore({ path: join(dir, "logd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "../../services/logd/drizzle") }));
  const jail = new Jail({ name: "sshd", maxretry: 5, findtime_s: 600, bantime_s: 600, ignore: () => false }, loadFilter("sshd"));
  let fired = 0;
  const src = new FileSource(path, [jail], store, () => fired++);
  const t0 = performance.now();
  const n = src.step();
  const s = (performance.now() - t0) / 1000;
  const rss = process.memoryUsage().rss / 1048576;
  const rate = n / s;
  console.log(`bench/logd: ${n} lines in ${s.toFixed(2)} s = ${Math.round(rate)} lines/s (goal ≥ 50000: ${rate >= 50_000 ? "met" : "NOT MET"}); failures ${jail.failures}, fired ${fired}; RSS ${rss.toFixed(1)} MB (goal ≤ 60: ${rss <= 60 ? "met" : "NOT MET"})`);
  src.close();
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
