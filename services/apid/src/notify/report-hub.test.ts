import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@honeymesh/config/errors";
import type { FrozenConfig } from "@honeymesh/config/schema";
import type { BanChange } from "@honeymesh/schema/ban";
import { ReportHub } from "./report-hub.ts";

const dir = mkdtempSync(join(tmpdir(), "hm-report-hub-"));
const key = join(dir, "key");
writeFileSync(key, "k\n", { mode: 0o600 });
chmodSync(key, 0o600);
const posts: string[] = [];
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: async (r) => (posts.push(new URLSearchParams(await r.text()).get("ip") ?? ""), Response.json({ data: {} })) });
afterAll(() => {
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const target = (over: Record<string, unknown> = {}) => ({ type: "abuseipdb", enabled: true, url: `http://127.0.0.1:${server.port}/r`, key_file: key, categories: {}, rate_per_min: 1000, min_interval_per_address: "15m", max_queue: 10, retries: 0, timeout_s: 5, ...over }) as FrozenConfig["report"][string];
const change = (text: string, over: Partial<BanChange> = {}): BanChange => ({ change: "added", address: { kind: "ip", text }, reasons: 2, expires_at: 0, origin: "me", offence: 1, evidence: [{ kind: "scan", summary: "SCAN" }], confidence: "verified", at: Date.now(), ...over });

test("allowlisted, protected and non-global addresses are never reported; only added bans are offered", async () => {
  const hub = new ReportHub({ abuse: target() }, "me", () => ["198.51.100.0/24", "203.0.113.9"]);
  for (const a of ["10.1.2.3", "192.168.1.1", "198.51.100.7", "203.0.113.9", "fd00::1"]) hub.onBan(change(a));
  hub.onBan(change("203.0.113.10", { change: "extended" }));
  hub.onBan(change("203.0.113.11"));
  for (let i = 0; i < 50 && posts.length === 0; i++) await Bun.sleep(20);
  const [s] = hub.list();
  expect(s).toMatchObject({ name: "abuse", sent: 1, skipped: { excluded: 5 } });
  expect(posts).toEqual(["203.0.113.11"]);
  hub.stop();
});

test("a disabled table sends nothing; a bad rule or a readable key file is a ConfigError naming the key", () => {
  expect(new ReportHub({ abuse: target({ enabled: false }) }, "me", () => []).list()).toEqual([]);
  expect(() => new ReportHub({ abuse: target({ categories: { NOPE: [1] } }) }, "me", () => [])).toThrow("report.abuse.categories");
  chmodSync(key, 0o644);
  expect(() => new ReportHub({ abuse: target() }, "me", () => [])).toThrow(ConfigError);
  chmodSync(key, 0o600);
});
