// The CLI as an operator meets it: version, help for every verb, config check, wrong flags.
// Runs the real entry point as a process (no node needed for these verbs).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { HELP } from "./help.ts";
import { parseArgs, outputFormat } from "./args.ts";

const MAIN = resolve(import.meta.dir, "main.ts");
const dir = mkdtempSync(join(tmpdir(), "hm-cli-op-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const p = Bun.spawnSync([process.execPath, MAIN, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH } });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

test("--version and -V print the package version", () => {
  const version = require("../../package.json").version as string;
  expect(cli("--version")).toMatchObject({ code: 0, out: `honeymesh ${version}\n` });
  expect(cli("-V").out).toBe(`honeymesh ${version}\n`);
});

test("-h lists every verb; help <verb> and <verb> --help show its flags and an example", { timeout: 60_000 }, () => {
  const top = cli("-h");
  expect(top.code).toBe(0);
  for (const verb of Object.keys(HELP)) expect(top.out).toContain(`  ${verb}`);
  const ban = cli("help", "ban");
  expect(ban.code).toBe(0);
  expect(ban.out).toContain("--ttl");
  expect(ban.out).toContain("example:\n  honeymesh ban ");
  expect(cli("ban", "--help").out).toBe(ban.out);
  for (const [verb, h] of Object.entries(HELP)) {
    expect(h.example.startsWith("honeymesh "), verb).toBe(true);
    expect(cli("help", verb).code, verb).toBe(0);
  }
});

test("a wrong flag or verb exits 2 naming it", () => {
  const r = cli("bans", "--colour");
  expect(r.code).toBe(2);
  expect(r.err).toContain("--colour");
  const s = cli("status", "-x");
  expect(s.code).toBe(2);
  expect(s.err).toContain("-x");
  const o = cli("bans", "-o", "yaml");
  expect(o.code).toBe(2);
  expect(o.err).toContain("yaml");
  const v = cli("frobnicate");
  expect(v.code).toBe(2);
  expect(v.err).toContain("frobnicate");
});

test("config check: 0 for a good file, 2 naming the key for a bad one, nothing started", () => {
  const good = join(dir, "good.toml");
  writeFileSync(good, `[node]\nstate_dir = "${dir}/state"\n[enforcer]\nmode = "enforce"\n`);
  const ok = cli("config", "check", "--config", good);
  expect(ok.code, ok.err).toBe(0);
  expect(ok.out).toContain("valid");
  expect(ok.out).toContain("enforce");
  const bad = join(dir, "bad.toml");
  writeFileSync(bad, `[enforcer]\nmode = "block"\n`);
  const r = cli("config", "check", "--config", bad);
  expect(r.code).toBe(2);
  expect(r.err).toContain("enforcer.mode");
  const typo = join(dir, "typo.toml");
  writeFileSync(typo, `[enforcer]\nmdoe = "test"\n`);
  expect(cli("config", "check", "--config", typo).err).toContain("enforcer.mdoe");
  expect(cli("config", "check", "--config", join(dir, "missing.toml")).code).toBe(2);
  // Nothing was created: config check does not boot (no keys, no node id).
  expect(require("node:fs").existsSync(join(dir, "state"))).toBe(false);
});

test("-o json|table|raw is uniform and --json stays the old spelling of -o json", () => {
  const p = (...a: string[]) => outputFormat(parseArgs(a, ["json"], []));
  expect(p()).toBe("table");
  expect(p("--json")).toBe("json");
  expect(p("-o", "raw")).toBe("raw");
  expect(p("-ojson")).toBe("json");
  expect(p("-o", "table", "--json")).toBe("table");
});

test("mode rejects an unknown mode before asking the node", () => {
  const conf = join(dir, "mode.toml");
  writeFileSync(conf, `[node]\nstate_dir = "${dir}/mode-state"\n[api]\nlisten = "127.0.0.1:1"\n`);
  const r = cli("mode", "block", "--config", conf);
  expect(r.code).toBe(2);
  expect(r.err).toContain("test, enforce, lockdown");
});
