import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "hm-config-"));
  made.push(dir);
  const path = join(dir, "honeymesh.toml");
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("[jails.<name>] sections get their defaults; unknown jail keys are refused", () => {
    const c = loadConfig({ path: file('[jails.sshd]\nenabled = true\nlogpath = ["/var/log/auth.log"]\nbantime = "1h"\nfindtime = 600\n') });
    expect(c.jails.sshd).toMatchObject({ enabled: true, maxretry: 5, bantime: "1h", findtime: 600, filter: "", ignoreip: [] });
    expect(errorOf(() => loadConfig({ path: file("[jails.sshd]\nbogus = 1\n") })).message).toContain("jails.sshd.bogus");
    expect(errorOf(() => loadConfig({ path: file('[jails.sshd]\nbantime = "soon"\n') })).message).toContain("jails.sshd.bantime");
  });

  test("a missing default file gives the safe defaults of DESIGN §6", () => {
    const c = loadConfig({ path: "/nonexistent/honeymesh.toml", explicit: false });
    expect(c.enforcer.mode).toBe("test");
    expect(c.bus.listen).toBe("127.0.0.1:7883");
    expect(c.api.listen).toBe("127.0.0.1:7880");
    expect(c.mesh.listen).toBe("0.0.0.0:7946");
    expect(c.traps.ssh.port).toBe(2222);
    expect(c.traps.mysql.port).toBe(3307);
    expect(c.scan.ports_threshold).toBe(3);
    expect(c.bans.default_ttl_s).toBe(86400);
    expect(c.node.state_dir.startsWith("/")).toBe(true);
  });

  test("a missing explicit file is an error", () => {
    expect(errorOf(() => loadConfig({ path: "/nonexistent/x.toml" })).code).toBe("CONFIG_READ");
  });

  test("file values and environment overrides, environment wins", () => {
    const path = file(`[enforcer]\nmode = "enforce"\ninterfaces = ["eth1"]\n[traps.ssh]\nport = 2200\n`);
    const c = loadConfig({
      path,
      env: { HONEYMESH_ENFORCER_MODE: "lockdown", HONEYMESH_TRAPS_SSH_PORT: "2201", HONEYMESH_ALLOW_CIDRS: "10.0.0.0/8, 192.0.2.7" },
    });
    expect(c.enforcer.mode).toBe("lockdown");
    expect(c.enforcer.interfaces).toEqual(["eth1"]);
    expect(c.traps.ssh.port).toBe(2201);
    expect(c.allow.cidrs).toEqual(["10.0.0.0/8", "192.0.2.7"]);
  });

  test("a bad value names key, value and what is allowed", () => {
    const e = errorOf(() => loadConfig({ path: file(`[enforcer]\nmode = "drop-all"\n`) }));
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.key).toBe("enforcer.mode");
    expect(e.message).toContain('"drop-all"');
    expect(e.message).toContain('"enforce"');
  });

  test("a bad environment value is reported like a file value", () => {
    const e = errorOf(() => loadConfig({ path: file(""), env: { HONEYMESH_SCAN_PORTS_THRESHOLD: "lots" } }));
    expect(e.key).toBe("scan.ports_threshold");
    expect(e.message).toContain("lots");
  });

  test("unknown keys are refused, so a typo cannot silently disable a setting", () => {
    const e = errorOf(() => loadConfig({ path: file(`[enforcer]\nmdoe = "enforce"\n`) }));
    expect(e.key).toBe("enforcer.mdoe");
  });

  test("broken TOML is a parse error", () => {
    expect(errorOf(() => loadConfig({ path: file(`[node\n`) })).code).toBe("CONFIG_PARSE");
  });

  test("the result is frozen", () => {
    const c = loadConfig({ path: file("") });
    expect(Object.isFrozen(c.enforcer)).toBe(true);
    expect(() => {
      (c.enforcer as { mode: string }).mode = "enforce";
    }).toThrow();
  });

  test("OTLP endpoint comes from the standard variables", () => {
    const c = loadConfig({ path: file(""), env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318/" } });
    expect(c.telemetry.otlp_traces_endpoint).toBe("http://127.0.0.1:4318/v1/traces");
  });
});
