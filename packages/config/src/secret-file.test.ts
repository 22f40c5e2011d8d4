import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";
import { readSecretFile } from "./secret-file.ts";

const dir = mkdtempSync(join(tmpdir(), "hm-secret-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("secrets from *_file keys, and [report.<name>]", () => {
  test("a 0600 file gives its first line; a group- or world-readable one is refused, naming the key", () => {
    const p = join(dir, "key");
    writeFileSync(p, "s3cret\nignored\n", { mode: 0o600 });
    chmodSync(p, 0o600);
    expect(readSecretFile(p, "report.abuse.key_file")).toBe("s3cret");
    chmodSync(p, 0o640);
    let err: unknown;
    try {
      readSecretFile(p, "report.abuse.key_file");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("report.abuse.key_file");
    expect((err as Error).message).not.toContain("s3cret");
    expect(() => readSecretFile(join(dir, "missing"), "k")).toThrow(ConfigError);
    expect(() => readSecretFile("/dev/zero", "k")).toThrow("not a regular file");
  });

  test("[report.<name>] gets its defaults (AbuseIPDB's URL, the 15-minute interval, categories); unknown keys refused", () => {
    const cfg = join(dir, "honeymesh.toml");
    writeFileSync(cfg, '[report.abuse]\ntype = "abuseipdb"\nkey_file = "/etc/honeymesh/abuseipdb.key"\n');
    const c = loadConfig({ path: cfg });
    expect(c.report.abuse).toMatchObject({ enabled: true, url: "https://api.abuseipdb.com/api/v2/report", min_interval_per_address: "15m", rate_per_min: 0.6 });
    // empty: the built-in mapping applies (packages/notify); a given mapping replaces it whole
    expect(c.report.abuse!.categories).toEqual({});
    expect(loadConfig({ path: join(dir, "none.toml"), explicit: false }).report).toEqual({});
    writeFileSync(cfg, '[report.abuse]\ntype = "abuseipdb"\nkey_file = "/k"\nkey = "inline"\n');
    expect(() => loadConfig({ path: cfg })).toThrow("report.abuse.key");
    writeFileSync(cfg, '[report.abuse]\ntype = "abuseipdb"\nkey_file = "/k"\ncategories = { SCAN = [99] }\n');
    expect(loadConfig({ path: cfg }).report.abuse!.categories).toEqual({ SCAN: [99] });
  });
});
