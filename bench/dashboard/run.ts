// bench/dashboard: render time per update in the browser with 1 000 events/s on the live stream
// and 100 000 bans in the table (issue 8's goal: ≤ 100 ms per update).
//   busd + apid (real processes), 100 000 bans in enforcerd's store, signed bus messages at
//   --rate events/s (80 % trap hits, 10 % decisions, 10 % ban changes on rows of the table),
//   headless Chromium on the dashboard. The page times each update itself (ui/perf.ts: from the
//   data reaching the views to the end of the layout it causes) and counts long tasks (> 50 ms).
// Run: bun bench/dashboard/run.ts [--seconds 10] [--rate 1000]
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ApiNode } from "../../test/apid/harness.ts";
import { ensureDashboardBuilt, login, openBrowser, type PageWindow } from "../../test/dashboard/browser.ts";
import { DashNode, sampleBans } from "../../test/dashboard/harness.ts";
import { newWriteId } from "@honeymesh/schema/decision";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg("seconds", 10);
const RATE = arg("rate", 1000);
const BANS = 100_000;

ensureDashboardBuilt();
const n = await new DashNode().start({ HONEYMESH_NODE_LOG_LEVEL: "error", HONEYMESH_API_STREAM_QUEUE: "100000" }, false);
const b = await openBrowser();
try {
  n.seedBans(sampleBans(BANS, n.node.nodeId));
  const [trapd, scand, enforcerd] = await Promise.all([n.node.client("trapd"), n.node.client("scand"), n.node.client("enforcerd")]);
  const services = ["ssh", "telnet", "http", "redis", "smtp", "mysql", "ftp"] as const;
  let seq = 0;
  const event = (i: number): Promise<void> => {
    const now = Date.now();
    const src = `203.0.${(i >> 8) & 255}.${i & 255}`;
    if (i % 10 < 8) return trapd.publish("hit", { session_id: `bench-${i.toString(16).padStart(8, "0")}`, service: services[i % services.length]!, src, src_port: 40_000 + (i % 20_000), dst_port: 22, at: now });
    if (i % 10 === 8) return scand.publish("decision", { id: newWriteId("bench"), action: "ban", address: { kind: "ip", text: src }, reasons: 1, ttl_s: 3600, origin: n.node.nodeId, source: "scand", evidence: [{ kind: "other", summary: "bench" }], offence: 1, at: now });
    // Ban changes on rows at the top of the table (value order), so loaded rows are patched.
    const row = `100.64.0.${(i >> 4) % 256}`;
    return enforcerd.publish("ban", { change: "extended", address: { kind: "ip", text: row }, reasons: 3, expires_at: now + 7_200_000, origin: n.node.nodeId, offence: 2, evidence: [{ kind: "other", summary: "bench extension" }], confidence: "verified", at: now });
  };

  /** Publishes at RATE events/s for `seconds`, in 10 ms ticks. */
  async function load(seconds: number): Promise<number> {
    const start = performance.now();
    let sent = 0;
    while (performance.now() - start < seconds * 1000) {
      const due = Math.floor(((performance.now() - start) / 1000) * RATE);
      const batch: Promise<void>[] = [];
      while (sent < due) batch.push(event(seq++)), sent++;
      await Promise.all(batch);
      await Bun.sleep(10);
    }
    return sent / ((performance.now() - start) / 1000);
  }

  const reset = (page: Page) => page.evaluate(() => {
    const p = (globalThis as unknown as { __hmPerf: { samples: Record<string, number[]>; longTasks: number[] } }).__hmPerf;
    p.samples = {};
    p.longTasks.length = 0;
  });
  const collect = (page: Page) => page.evaluate(() => (globalThis as unknown as { __hmPerf: { samples: Record<string, number[]>; longTasks: number[] } }).__hmPerf);
  const q = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, c) => a - c)[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : Number.NaN);
  const report = (name: string, xs: number[], longTasks: number[], rate: number) =>
    console.log(
      `${name.padEnd(34)} ${xs.length} updates at ${Math.round(rate)} ev/s: p50 ${q(xs, 0.5).toFixed(1)} ms, p95 ${q(xs, 0.95).toFixed(1)} ms, p99 ${q(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms; long tasks ${longTasks.length} (max ${longTasks.length ? Math.max(...longTasks).toFixed(0) : 0} ms)`,
    );

  const { page } = b;
  console.log(`dashboard bench: ${BANS} bans in the store, ${RATE} events/s for ${SECONDS} s per phase, ${navigator.hardwareConcurrency} CPUs shared by busd, apid, publisher and Chromium`);
  await login(page, n.base, n.admin);

  // 1. Live view under the event stream.
  await page.click('nav.tabs a[href="#/live"]');
  await page.waitForSelector('.stream-state[data-state="live"]');
  await load(1);
  await reset(page);
  const liveRate = await load(SECONDS);
  const live = await collect(page);
  report("live view (60 newest rows)", live.samples.live ?? [], live.longTasks, liveRate);
  const received = await page.evaluate(() => Number((globalThis as unknown as PageWindow).document.querySelector(".view-live .muted.nowrap")?.textContent?.replace(/\D/g, "") ?? 0));
  console.log(`  events counted by the page: ${received} of ${seq} published`);

  // 2. Bans view: load all 100 000 rows by scrolling, then updates and scrolling under the stream.
  await page.click('nav.tabs a[href="#/bans"]');
  await page.waitForSelector(".brow[data-value]");
  const t0 = performance.now();
  while (true) {
    const count = await page.evaluate(() => {
      const el = (globalThis as unknown as PageWindow).document.querySelector(".vscroll")!;
      el.scrollTop = el.scrollHeight;
      return Number((globalThis as unknown as PageWindow).document.querySelector("[data-testid=ban-count]")!.textContent!.replace(/ loaded.*$/, "").replace(/,/g, ""));
    });
    if (count >= BANS) break;
    await Bun.sleep(20);
  }
  console.log(`bans view: ${BANS} rows loaded by scrolling (pages of 500) in ${((performance.now() - t0) / 1000).toFixed(1)} s; DOM rows: ${await page.locator(".brow[data-value]").count()}`);
  await page.evaluate(() => ((globalThis as unknown as PageWindow).document.querySelector(".vscroll")!.scrollTop = 0));
  await reset(page);
  const scrolling = page.evaluate(async (ms) => {
    const el = (globalThis as unknown as PageWindow).document.querySelector(".vscroll")!;
    const end = performance.now() + ms;
    let i = 0;
    while (performance.now() < end) {
      // Mostly the top (where the stream patches rows), sometimes a jump anywhere.
      el.scrollTop = i++ % 5 === 0 ? Math.random() * el.scrollHeight : (i % 40) * 36;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, SECONDS * 1000);
  const bansRate = await load(SECONDS);
  await scrolling;
  const bans = await collect(page);
  report("bans view: stream patches", bans.samples.bans ?? [], bans.longTasks, bansRate);
  report("bans view: scroll renders", bans.samples.scroll ?? [], bans.longTasks, bansRate);
} finally {
  await b.close();
  await (n as ApiNode).stop();
}
process.exit(0);
