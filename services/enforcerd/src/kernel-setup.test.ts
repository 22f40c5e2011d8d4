import { expect, test } from "bun:test";
import { loadConfig } from "@honeymesh/config/load";
import { enforcementFailure, fastPathEnabled } from "./kernel-setup.ts";

const none = { kernel: undefined, interfaces: [], enforcement: "unavailable: bpf(BPF_PROG_LOAD): EPERM" };

test("enforce and lockdown without a loaded program are fatal, naming the reason", () => {
  expect(enforcementFailure("enforce", none)).toContain("EPERM");
  expect(enforcementFailure("lockdown", none)).toContain("lockdown");
});

test("test mode runs on without the kernel", () => {
  expect(enforcementFailure("test", none)).toBeUndefined();
});

test("a loaded program attached nowhere cannot enforce either", () => {
  const loaded = { kernel: {} as never, interfaces: [], enforcement: "unavailable: no interface configured and no default route found" };
  expect(enforcementFailure("enforce", loaded)).toContain("no interface");
  expect(enforcementFailure("enforce", { ...loaded, interfaces: [{ name: "eth0", mode: "generic" }], enforcement: "active" })).toBeUndefined();
});

const config = (env: Record<string, string>) => loadConfig({ path: "/nonexistent/honeymesh.toml", explicit: false, env });

test("the kernel fast path is off by default, on with [enforcer] fast_path = true, and off whenever [scan] syn_only = observe", () => {
  const on = { HONEYMESH_ENFORCER_FAST_PATH: "true" };
  expect(fastPathEnabled(config({}))).toBe(false);
  expect(fastPathEnabled(config(on))).toBe(true);
  expect(fastPathEnabled(config({ ...on, HONEYMESH_SCAN_SYN_ONLY: "observe" }))).toBe(false);
  expect(fastPathEnabled(config({ ...on, HONEYMESH_SCAN_SYN_ONLY: "local" }))).toBe(true);
  expect(fastPathEnabled(config({ ...on, HONEYMESH_SCAN_SYN_ONLY: "ban" }))).toBe(true);
});
