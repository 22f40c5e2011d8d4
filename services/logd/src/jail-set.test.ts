import { afterEach, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@honeymesh/config/load";
import { openStore } from "@honeymesh/db/open";
import * as schema from "@honeymesh/tables/logd";
import { JailSet } from "./jail-set.ts";
import { logdHealth } from "./health.ts";
import { LogdStore } from "./logd-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(toml: (d: string) => string) {
  const d = mkdtempSync(join(tmpdir(), "logd-jails-"));
  dirs.push(d);
  writeFileSync(join(d, "hm.toml"), toml(d));
  const config = loadConfig({ path: join(d, "hm.toml") });
  const store = new LogdStore(openStore({ path: join(d, "logd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "drizzle") }));
  let now = Date.now();
  const set = new JailSet(config, store, () => {}, () => now);
  return { d, set, store, advance: (ms: number) => (now += ms) };
}

test("globs pick up files that appear later; a jail silent longer than silent_after is degraded", () => {
  const { d, set, store, advance } = setup((d) => `[jails.web]\nenabled = true\nfilter = "nginx-http-auth"\nlogpath = ["${d}/logs/*.error.log"]\nsilent_after = "1m"\n`);
  expect(set.metrics()[0]).toMatchObject({ jail: "web", source_ok: false, source_detail: expect.stringContaining("no file matches") });
  mkdirSync(join(d, "logs"));
  const f = join(d, "logs", "a.error.log");
  writeFileSync(f, "");
  set.rescan();
  appendFileSync(f, '2026/11/30 10:00:00 [error] 12#12: *1 user "bob": password mismatch, client: 198.51.100.8, server: x, request: "GET / HTTP/1.1", host: "x"\n');
  set.step();
  expect(set.metrics()[0]).toMatchObject({ lines: 1, failures: 1, source_ok: true });
  expect(logdHealth(set).degraded).toEqual([]);
  advance(61_000);
  expect(set.metrics()[0]).toMatchObject({ source_ok: false, source_detail: expect.stringMatching(/no line for 61 s \(silent_after 60 s\)/) });
  expect(logdHealth(set).degraded.map((x) => x.code)).toEqual(["jail_source"]);
  set.stop();
  store.close();
});

test("a jail whose filter cannot be read is reported, the others run", () => {
  const { set, store } = setup((d) => `[jails.bad]\nenabled = true\nfilter = "${d}/nope.conf"\nlogpath = ["${d}/x.log"]\n[jails.ssh]\nenabled = true\nfilter = "sshd"\nlogpath = ["${d}/auth.log"]\n[jails.off]\nfilter = "sshd"\n`);
  expect(set.errors).toEqual([expect.stringContaining("jail bad: filter file")]);
  expect(set.metrics().map((m) => m.jail)).toEqual(["ssh"]);
  expect(set.metrics()[0]).toMatchObject({ source_ok: false, source_detail: expect.stringContaining("missing") });
  set.stop();
  store.close();
});

test("a log that exists but cannot be opened is reported with the error, not as missing", () => {
  // As root every file opens (CAP_DAC_OVERRIDE), so ENOTDIR stands in for EACCES: a path through a regular file.
  const { d, set, store } = setup((d) => `[jails.ssh]\nenabled = true\nfilter = "sshd"\nlogpath = ["${d}/hm.toml/auth.log"]\n`);
  expect(set.metrics()[0]).toMatchObject({ source_ok: false, source_detail: `${d}/hm.toml/auth.log not readable (ENOTDIR)` });
  set.stop();
  store.close();
});
