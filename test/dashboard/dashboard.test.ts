// The dashboard end to end in headless Chromium, against a real node on loopback (busd, enforcerd
// without a kernel, trapd, apid): static serving, login/logout, the live stream, ban actions with
// their confirmations, the mode switch, CSV export, and the read-only view of a `read` token.
// Screenshots of every page go to artifacts/dashboard/. The kernel side is in kernel.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { curl } from "../apid/harness.ts";
import { BAN_CSV_HEADER } from "../../services/apid/src/read/ban-reader.ts";
import { browserSkipReason, ensureDashboardBuilt, login, openBrowser, PHONE, shot, type Browser, type PageWindow } from "./browser.ts";
import { DashNode, sampleBans, seedPeers } from "./harness.ts";

const skip = browserSkipReason();
if (skip) console.warn(`dashboard e2e skipped: ${skip}`);

const SEEDED = 2500;

describe.skipIf(Boolean(skip))("dashboard in a real browser", () => {
  let n: DashNode;
  let readToken = "";
  let writeToken = "";
  const open: Browser[] = [];
  const browser = async (opts: Parameters<typeof openBrowser>[0] = {}) => {
    const b = await openBrowser(opts);
    open.push(b);
    return b;
  };
  const api = (method: string, path: string, body?: unknown, token?: string) => n.req(method, path, { body, token });

  beforeAll(async () => {
    ensureDashboardBuilt();
    n = await new DashNode().startAll();
    n.seedBans(sampleBans(SEEDED, n.node.nodeId));
    seedPeers(n.node.stateDir);
    readToken = await n.token("read");
    writeToken = await n.token("write");
  });
  afterAll(async () => {
    for (const b of open) await b.close();
    await n?.stop();
  });

  /** Touches traps with real clients so the live view and overview have something to show. */
  async function attack(): Promise<void> {
    const base = `http://127.0.0.1:${n.traps.http}`;
    await curl(["-A", "Mozilla/5.0 zgrab/0.x", `${base}/wp-login.php`]);
    await curl(["-X", "POST", "--data", "user=admin&pass=admin", `${base}/cgi-bin/luci`]);
    Bun.spawnSync(["redis-cli", "-h", "127.0.0.1", "-p", String(n.traps.redis), "CONFIG", "SET", "dir", "/var/spool/cron"], { stdout: "ignore", stderr: "ignore", timeout: 5000 });
    Bun.spawnSync(["sshpass", "-p", "123456", "ssh", "-p", String(n.traps.ssh), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "ConnectTimeout=5", "root@127.0.0.1", "uname -a"], { stdout: "ignore", stderr: "ignore", timeout: 10_000 });
  }

  async function go(page: Page, view: string): Promise<void> {
    await page.click(`nav.tabs a[href="#/${view}"]`);
    await page.waitForSelector(`.view-${view}`);
  }

  test("apid serves the built dashboard without a token, precompressed and cached; the API still needs one", async () => {
    const page = await curl(["-D", "-", "-o", "/dev/null", "-H", "accept-encoding: gzip, deflate, br", `${n.base}/`]);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/content-encoding: br/i);
    expect(page.body).toMatch(/cache-control: no-cache/i);
    expect(page.body).toMatch(/content-security-policy: default-src 'none'; script-src 'self'/i);
    const html = await curl([`${n.base}/`]);
    const js = /src="(\/assets\/main-[a-z0-9]+\.js)"/.exec(html.body)?.[1];
    expect(js).toBeDefined();
    const gz = await curl(["-D", "-", "-o", "/dev/null", "-H", "accept-encoding: gzip", `${n.base}${js}`]);
    expect(gz.body).toMatch(/content-encoding: gzip/i);
    expect(gz.body).toMatch(/cache-control: public, max-age=31536000, immutable/i);
    const etag = /etag: ("[^"]+")/i.exec(gz.body)?.[1];
    expect(etag).toBeDefined();
    expect((await curl(["-H", "accept-encoding: gzip", "-H", `if-none-match: ${etag}`, `${n.base}${js}`])).status).toBe(304);
    const plain = await curl(["-D", "-", `${n.base}${js}`]);
    expect(plain.body).not.toMatch(/content-encoding/i);
    expect((await curl([`${n.base}/v1/bans`])).status).toBe(401);
    expect((await curl([`${n.base}/v1/whoami`])).status).toBe(401);
    expect((await api("GET", "/v1/whoami", undefined, readToken)).json).toMatchObject({ scope: "read", node: n.node.nodeId });
  });

  test("log in (a bad token is refused), see live hits with what was sent, reload keeps the session, log out", async () => {
    const { page } = await browser();
    await page.goto(`${n.base}/`);
    await page.waitForSelector("#token");
    await shot(page, "01-login");
    await page.fill("#token", "not-a-token");
    await page.click("button[type=submit]");
    await page.waitForSelector(".form-error");
    expect(await page.textContent(".form-error")).toContain("invalid");

    await login(page, n.base, n.admin);
    expect(page.url()).not.toContain(n.admin.slice(0, 20));
    expect(await page.evaluate(() => sessionStorage.getItem("honeymesh.token"))).toBe(n.admin);
    expect(await page.textContent("[data-testid=who]")).toContain("admin");

    await go(page, "live");
    await page.waitForSelector('.stream-state[data-state="live"]');
    await attack();
    await page.waitForSelector('.live-row.kind-hit[data-src="127.0.0.1"]');
    // The closed session (polled from /v1/events) fills in what the attacker sent.
    await page.waitForFunction(() => [...(globalThis as unknown as PageWindow).document.querySelectorAll(".live-row.kind-hit td.sent")].some((td) => td.textContent?.includes("/wp-login.php")), undefined, { timeout: 15_000 });
    await page.waitForFunction(() => [...(globalThis as unknown as PageWindow).document.querySelectorAll(".live-row.kind-hit td.sent")].some((td) => td.textContent?.includes("root:123456")), undefined, { timeout: 15_000 });
    await shot(page, "03-live");

    // Pause holds the table still while events keep arriving.
    await page.click("text=Pause");
    const before = await page.locator(".live-row").count();
    // trapd publishes at most one hit per source and port per second ([traps] hit_coalesce_ms):
    // a request inside that second of the attack's would be a session without a new live event.
    await Bun.sleep(1_100);
    await curl([`http://127.0.0.1:${n.traps.http}/.env`]);
    await page.waitForSelector("text=/Resume \\(\\d+ new\\)/");
    expect(await page.locator(".live-row").count()).toBe(before);
    // Rows received live (the view also opens on backfilled ones, which may fill the table).
    const liveBefore = await page.locator(".live-row:not(.backfill)").count();
    await page.click("text=/Resume/");
    await page.waitForFunction((b) => (globalThis as unknown as PageWindow).document.querySelectorAll(".live-row:not(.backfill)").length > b, liveBefore);

    await page.reload();
    await page.waitForSelector("[data-testid=who]");
    await page.click("text=Log out");
    await page.waitForSelector("#token");
    expect(await page.evaluate(() => sessionStorage.getItem("honeymesh.token"))).toBeNull();
    await page.reload();
    await page.waitForSelector("#token");
  }, 90_000);

  test("bans: 2 500 rows, search, ban / extend / make permanent / unban, each confirmed, results shown", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await go(page, "bans");
    await page.waitForSelector(".brow[data-value]");
    expect(Number((await page.textContent("[data-testid=ban-count]"))!.replace(/\D.*$/, "").replace(/,/g, ""))).toBeGreaterThanOrEqual(500);
    // Windowed: a few dozen rows exist in the DOM whatever is loaded.
    expect(await page.locator(".brow[data-value]").count()).toBeLessThan(80);
    await page.click(".brow[data-value] >> nth=2");
    await page.waitForSelector(".detail");
    await shot(page, "04-bans");

    const target = "198.51.100.23";
    await page.fill('input[name="address"]', target);
    await page.fill('input[name="note"]', "seen in our web logs");
    await page.click(".ban-form button[type=submit]");
    await page.waitForSelector("dialog.confirm[open]");
    expect(await page.textContent("dialog.confirm")).toContain(target);
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=toast]:has-text("Ban: added")');
    const banned = await api("GET", `/v1/bans/${target}`);
    expect(banned.status).toBe(200);
    expect(banned.json.evidence).toEqual([{ kind: "manual", summary: "seen in our web logs" }]);
    // Evidence shows as each item's summary.
    expect(banned.json.address).toEqual({ kind: "ip", text: target });

    // The search is an address: the bans that drop it (its own, and any prefix containing it).
    await page.fill('input[aria-label="Bans that drop this address"]', target);
    await page.waitForSelector(`.brow[data-value="${target}"]`);
    await page.click(`.brow[data-value="${target}"]`);

    // Cancel leaves the ban alone.
    await page.click('.detail button:has-text("Unban everywhere")');
    await page.waitForSelector("dialog.confirm[open]");
    await page.click('dialog.confirm button:has-text("Cancel")');
    expect((await api("GET", `/v1/bans/${target}`)).status).toBe(200);

    await page.click('.detail button:has-text("Make permanent")');
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=toast]:has-text("Make permanent: extended")');
    expect((await api("GET", `/v1/bans/${target}`)).json.expires_at).toBe(0);
    await page.waitForSelector(`.brow[data-value="${target}"] .cd-perm`);

    await page.click('.detail button:has-text("Unban everywhere")');
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=toast]:has-text("Unban everywhere: removed")');
    expect((await api("GET", `/v1/bans/${target}`)).status).toBe(404);
    await page.waitForSelector(`.brow.is-gone[data-value="${target}"]`);

    // A refusal is shown with apid's reason: loopback is always allowlisted.
    await page.fill('input[name="address"]', "127.0.0.1");
    await page.click(".ban-form button[type=submit]");
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=toast]:has-text("Ban: refused (409)")');
  }, 90_000);

  test("switch the enforcement mode from the overview, with a confirmation", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await page.waitForSelector(".segmented");
    const from = (await api("GET", "/v1/mode")).json.mode as string;
    const to = from === "enforce" ? "test" : "enforce";
    await page.click(`.segmented button:has-text("${to}")`);
    await page.waitForSelector("dialog.confirm[open]");
    expect(await page.textContent("dialog.confirm")).toContain(to.toUpperCase());
    await page.click("[data-testid=confirm]");
    await page.waitForSelector(`[data-testid=mode]:has-text("${to}")`);
    expect((await api("GET", "/v1/mode")).json.mode).toBe(to);
    await attack();
    await page.waitForTimeout(2500); // two status polls, so the rate curves have points
    await shot(page, "02-overview");
    await page.click(`.segmented button:has-text("${from}")`);
    await page.click("[data-testid=confirm]");
    await page.waitForSelector(`[data-testid=mode]:has-text("${from}")`);
    expect((await api("GET", "/v1/mode")).json.mode).toBe(from);
  }, 60_000);

  test("export bans as CSV: the browser downloads the file apid streams", async () => {
    const { page } = await browser();
    await login(page, n.base, n.admin);
    await go(page, "export");
    await shot(page, "06-export");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-export="bans-csv"]')]);
    expect(download.suggestedFilename()).toMatch(/^honeymesh-bans-.*\.csv$/);
    const text = readFileSync((await download.path())!, "utf8");
    // RFC 4180: CRLF line ends.
    const lines = text.trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe(BAN_CSV_HEADER);
    const active = (await api("GET", "/v1/status")).json.active_bans as number;
    expect(lines.length - 1).toBe(active);
    expect(text).toContain("100.64.0.3,ip,");
  }, 60_000);

  test("a read token sees no write control, and apid refuses its writes anyway", async () => {
    const { page } = await browser();
    await login(page, n.base, readToken);
    expect(await page.textContent("[data-testid=who]")).toContain("read-only");
    await page.waitForSelector("[data-testid=mode]");
    expect(await page.locator(".segmented").count()).toBe(0);
    await go(page, "bans");
    await page.waitForSelector(".brow[data-value]");
    expect(await page.locator(".ban-form").count()).toBe(0);
    const value = (await page.getAttribute(".brow[data-value] >> nth=1", "data-value"))!;
    await page.click(".brow[data-value] >> nth=1");
    await page.waitForSelector(".detail");
    expect(await page.locator(".detail .actions").count()).toBe(0);
    expect(await page.locator(".detail button:has-text('Unban')").count()).toBe(0);
    await shot(page, "07-bans-read-only");
    const statuses = await page.evaluate(async (v) => {
      const token = sessionStorage.getItem("honeymesh.token")!;
      const h = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const post = await fetch("/v1/bans", { method: "POST", headers: h, body: JSON.stringify({ address: "198.51.100.99" }) });
      const del = await fetch(`/v1/bans/${v}`, { method: "DELETE", headers: h });
      const mode = await fetch("/v1/mode", { method: "PUT", headers: h, body: JSON.stringify({ mode: "lockdown" }) });
      return [post.status, del.status, mode.status];
    }, value);
    expect(statuses).toEqual([403, 403, 403]);
    expect((await api("GET", `/v1/bans/${value}`)).status).toBe(200);
  }, 60_000);

  test("a write token gets ban actions but no mode switch (that needs admin)", async () => {
    const { page } = await browser();
    await login(page, n.base, writeToken);
    await page.waitForSelector("text=Switching the mode needs an admin token.");
    expect(await page.locator(".segmented").count()).toBe(0);
    await go(page, "bans");
    await page.waitForSelector(".ban-form");
  }, 60_000);

  test("screenshots: mesh, phone width, dark mode", async () => {
    const desk = (await browser()).page;
    await login(desk, n.base, n.admin);
    await go(desk, "mesh");
    await desk.waitForSelector("text=node-fra-2");
    await desk.waitForSelector('.live-dot[title="stream live"]');
    // A decision made while the page is open shows how it travelled and when it was applied.
    await api("POST", "/v1/bans", { address: "192.0.2.77", ttl_s: 3600, reason: "TRAP" });
    await desk.waitForSelector(".prop-item:has-text('192.0.2.77'):has-text('added here')");
    await shot(desk, "05-mesh");

    const phone = (await browser({ viewport: PHONE })).page;
    await login(phone, n.base, n.admin);
    await phone.waitForSelector(".stat");
    await shot(phone, "10-phone-overview");
    await go(phone, "bans");
    await phone.waitForSelector(".brow[data-value]");
    await shot(phone, "11-phone-bans");
    await go(phone, "live");
    await attack();
    await phone.waitForSelector(".live-row");
    await shot(phone, "12-phone-live");

    const dark = (await browser({ colorScheme: "dark" })).page;
    await login(dark, n.base, n.admin);
    await dark.waitForSelector(".stat");
    await attack();
    await dark.waitForTimeout(2500);
    await shot(dark, "20-dark-overview");
    await go(dark, "bans");
    await dark.click(".brow[data-value] >> nth=3");
    await shot(dark, "21-dark-bans");
    await go(dark, "live");
    await attack();
    await dark.waitForSelector(".live-row");
    await shot(dark, "22-dark-live");
    // Each page rendered without a script error.
    for (const p of [desk, phone, dark]) expect(await p.locator(".shell").count()).toBe(1);
  }, 120_000);
});
