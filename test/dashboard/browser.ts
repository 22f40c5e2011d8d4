// Headless Chromium (Debian's) driven by playwright-core, for the dashboard's end-to-end tests and
// bench. Each browser gets a fresh profile directory, removed on close.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { ROOT } from "../support/bus-node.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = join(ROOT, "artifacts", "dashboard");
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Why browser tests cannot run here, or undefined. */
export function browserSkipReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium, or scripts/setup.sh --test)`;
}

/** Builds dashboard/dist when it is missing or older than its sources (setup.sh builds it at install). */
export function ensureDashboardBuilt(): void {
  const dist = join(ROOT, "dashboard", "dist", "index.html");
  const newest = (dir: string): number => Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  if (existsSync(dist) && statSync(dist).mtimeMs >= Math.max(newest(join(ROOT, "dashboard", "src")), statSync(join(ROOT, "dashboard", "build.ts")).mtimeMs)) return;
  const r = Bun.spawnSync([process.execPath, join(ROOT, "dashboard", "build.ts")], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`dashboard build failed:\n${r.stderr.toString()}`);
}

export interface Browser {
  ctx: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A browser with a fresh profile. With `netns`, Chromium runs inside that network namespace (an
 * nsenter wrapper as its executable): it then reaches apid on the namespace's loopback, exactly as
 * a browser on the node reaches apid's default 127.0.0.1 listener. Playwright drives it over the
 * pipes it inherits, which no namespace affects.
 */
export async function openBrowser(opts: { netns?: string; viewport?: { width: number; height: number }; colorScheme?: "light" | "dark" } = {}): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), "hm-chromium-"));
  let exe = CHROMIUM;
  if (opts.netns) {
    exe = join(dir, "chromium-in-netns");
    writeFileSync(exe, `#!/bin/sh\nexec nsenter --net=/run/netns/${opts.netns} -- ${CHROMIUM} "$@"\n`);
    chmodSync(exe, 0o755);
  }
  const ctx = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: exe,
    args: ARGS,
    headless: true,
    viewport: opts.viewport ?? DESKTOP,
    colorScheme: opts.colorScheme ?? "light",
    acceptDownloads: true,
    downloadsPath: join(dir, "downloads"),
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return {
    ctx,
    page,
    async close() {
      await ctx.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a full-viewport screenshot to artifacts/dashboard/<name>.png. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  // Let toasts fade and fonts settle: a screenshot is a picture, not an assertion.
  await page.screenshot({ path, animations: "disabled" });
  return path;
}

/** Signs in through the login form and waits for the console. */
export async function login(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/#/overview`);
  await page.fill("#token", token);
  await page.click("button[type=submit]");
  await page.waitForSelector(".shell", { timeout: 15_000 });
}

/**
 * The page's DOM, as callbacks passed to page.evaluate see it. The root tsconfig has no DOM lib
 * (it types server code), so page-side code reaches `document` through this type; it is erased at
 * build, so the serialized callback refers to the browser's own `document`.
 */
export interface PageElement {
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  querySelector(selector: string): PageElement | null;
}
export interface PageWindow {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> & ArrayLike<PageElement> };
}
