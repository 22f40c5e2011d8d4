import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import * as schema from "@honeymesh/tables/apid-history";
import { bucket, HISTORY_KEEP_MS, HistoryRecorder } from "./history-recorder.ts";

const dirs: string[] = [];
const stops: (() => void)[] = [];
afterEach(() => {
  stops.splice(0).forEach((s) => s());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function recorder(kernel: () => { dropped: number; passed: number } | undefined, active = () => 7) {
  const dir = mkdtempSync(join(tmpdir(), "hm-history-"));
  dirs.push(dir);
  const store = openStore({ path: join(dir, "apid-history.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle-history") });
  const h = new HistoryRecorder(store, { activeBans: active, kernel });
  stops.push(() => (h.stop(), store.close()));
  return h;
}

test("each finished minute becomes one row: counts of that minute, active bans at its end, kernel growth", () => {
  let k = { dropped: 100, passed: 1000 };
  const h = recorder(() => k);
  const m0 = Math.floor(Date.now() / 60_000) * 60_000;
  h.banAdded();
  h.banAdded();
  h.banEnded();
  h.decision();
  h.hit();
  h.sessions(3);
  k = { dropped: 150, passed: 1200 };
  h.tick(m0 + 30_000); // same minute: nothing written
  expect(h.rows(0, Date.now() + 600_000)).toEqual([]);
  h.tick(m0 + 60_000);
  h.hit();
  k = { dropped: 5, passed: 10 }; // the program was reloaded: counters restarted
  h.tick(m0 + 120_000);
  const rows = h.rows(m0, m0 + 180_000);
  expect(rows).toEqual([
    { minute: m0, bansAdded: 2, bansEnded: 1, bansActive: 7, decisions: 1, hits: 1, sessions: 3, xdpDropped: 50, xdpPassed: 200 },
    { minute: m0 + 60_000, bansAdded: 0, bansEnded: 0, bansActive: 7, decisions: 0, hits: 1, sessions: 0, xdpDropped: 5, xdpPassed: 10 },
  ]);
  // Buckets of 5 minutes sum the counts and keep the last active count.
  expect(bucket(rows, m0, 300_000)).toEqual([{ t: m0, minutes: 2, bans_added: 2, bans_ended: 1, bans_active: 7, decisions: 1, hits: 2, sessions: 3, xdp_dropped: 55, xdp_passed: 210 }]);
});

test("no kernel: XDP columns are 0; rows older than the retention are pruned", () => {
  const h = recorder(() => undefined);
  const m0 = Math.floor(Date.now() / 60_000) * 60_000;
  h.tick(m0 + 60_000);
  expect(h.rows(m0, m0 + 60_000)[0]).toMatchObject({ xdpDropped: 0, xdpPassed: 0 });
  h.tick(m0 + HISTORY_KEEP_MS + 180_000);
  expect(h.rows(0, m0 + 60_000)).toEqual([]);
});
