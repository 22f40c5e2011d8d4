// The dashboard against a node with real XDP, in a namespace pair: trapd, enforcerd (XDP on the
// victim's veth) and apid run in the victim namespace; so does Chromium (an nsenter wrapper, see
// browser.ts), which reaches apid on that namespace's loopback like a browser on the node itself.
// The attacker touches a trap and the hit shows in the page; a ban and its unban from the UI
// land in (and leave) the kernel's ban map; the mode switch reaches the kernel's config map.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { kernelSkipReason, OBJECT, pingOk } from "../kernel/harness.ts";
import { startEnforcingNode, type EnforcingNode } from "../support/enforcing-node.ts";
import { freePort } from "../support/bus-node.ts";
import type { NetnsPair } from "../support/netns.ts";
import type { NsNode } from "../support/ns-node.ts";
import { browserSkipReason, ensureDashboardBuilt, login, openBrowser, shot, type Browser, type PageWindow } from "./browser.ts";

const skip = kernelSkipReason() ?? browserSkipReason();
if (skip) console.warn(`dashboard kernel e2e skipped: ${skip}`);
const HTTP_TRAP = 8081;

/** Reads the kernel's state through the pinned maps, as an operator's bpftool would. */
function kernel<T>(pinRoot: string, read: (k: KernelEnforcer) => T): T {
  const k = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
  if (!k.ok) throw new Error(k.reason);
  try {
    return read(k.value);
  } finally {
    k.value.close();
  }
}

describe.skipIf(Boolean(skip))("dashboard on a real kernel: live hit, ban/unban and mode reach XDP", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let en: EnforcingNode;
  let node: NsNode;
  let b: Browser;
  const apiPort = freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const inKernel = (ip: string) => kernel(pinRoot, (k) => k.listBans().some((x) => x.address === ip));

  beforeAll(async () => {
    ensureDashboardBuilt();
    en = await startEnforcingNode({
      services: ["enforcerd", "trapd", "apid"],
      env: () => ({ HONEYMESH_API_LISTEN: `127.0.0.1:${apiPort}`, HONEYMESH_TRAPS_BIND: "::", HONEYMESH_TRAPS_HTTP_PORT: String(HTTP_TRAP) }),
      timeoutMs: 30_000,
    });
    ({ pair, pinRoot, node } = en);
    b = await openBrowser({ netns: pair.victim.ns });
    const token = (await Bun.file(join(node.node.stateDir, "apid", "admin.token")).text()).trim();
    await login(b.page, base, token);
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await en?.stop();
  });

  test("an attacker touches the HTTP trap: the hit is in the live view within 1 s", async () => {
    const { page } = b;
    await page.click('nav.tabs a[href="#/live"]');
    await page.waitForSelector('.stream-state[data-state="live"]');
    const touched = Date.now();
    const touch = pair.run("attacker", ["curl", "-s", "-o", "/dev/null", "--max-time", "3", "-A", "masscan/1.3", `http://${pair.victim.v4}:${HTTP_TRAP}/phpmyadmin/index.php`]);
    const row = `.live-row.kind-hit:not(.backfill)[data-src="${pair.attacker.v4}"]`;
    await page.waitForSelector(row, { timeout: 10_000 });
    await touch;
    // The page stamps each event as it parses it; the attacker's clock is the same machine's.
    const received = Number(await page.getAttribute(row, "data-received"));
    console.log(`dashboard: trap touch → row in the page: ${received - touched} ms (includes nsenter + curl start-up)`);
    expect(received - touched).toBeGreaterThanOrEqual(0);
    expect(received - touched).toBeLessThanOrEqual(1000);
    await page.waitForFunction((sel) => (globalThis as unknown as PageWindow).document.querySelector(sel)?.querySelector("td.sent")?.textContent?.includes("/phpmyadmin/index.php") ?? false, row, { timeout: 15_000 });
    await shot(page, "30-kernel-live-hit");
  }, 60_000);

  test("ban and unban the attacker from the UI: the XDP ban map follows, and so do its packets", async () => {
    const { page } = b;
    const ip = pair.attacker.v4;
    expect(inKernel(ip)).toBe(false);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
    await page.click('nav.tabs a[href="#/bans"]');
    await page.fill('input[name="address"]', ip);
    await page.fill('input[name="note"]', "probed the HTTP trap");
    await page.click(".ban-form button[type=submit]");
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=toast]:has-text("Ban: added")');
    expect(inKernel(ip)).toBe(true);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(false);

    await page.fill('input[aria-label="Bans that drop this address"]', ip);
    await page.click(`.brow[data-value="${ip}"]`);
    await page.waitForSelector(".detail");
    await shot(page, "31-kernel-banned");
    await page.click('.detail button:has-text("Unban everywhere")');
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=toast]:has-text("Unban everywhere: removed")');
    expect(inKernel(ip)).toBe(false);
    expect(await pingOk(pair, "attacker", pair.victim.v4)).toBe(true);
  }, 60_000);

  test("switch to test mode and back from the overview: the kernel's config map follows", async () => {
    const { page } = b;
    await page.click('nav.tabs a[href="#/overview"]');
    await page.waitForSelector('[data-testid=mode]:has-text("enforce")');
    await page.click('.segmented button:has-text("test")');
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=mode]:has-text("test")');
    expect(kernel(pinRoot, (k) => k.config().mode)).toBe("test");
    await page.click('.segmented button:has-text("enforce")');
    await page.click("[data-testid=confirm]");
    await page.waitForSelector('[data-testid=mode]:has-text("enforce")');
    expect(kernel(pinRoot, (k) => k.config().mode)).toBe("enforce");
    await shot(page, "32-kernel-overview");
  }, 60_000);
});
