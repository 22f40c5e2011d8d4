import { expect, test } from "bun:test";
import { loadConfig } from "@honeymesh/config/load";
import { fastPathEnabled } from "./kernel-setup.ts";

const config = (env: Record<string, string>) => loadConfig({ path: "/nonexistent/honeymesh.toml", explicit: false, env });

test("the kernel fast path is on by default, off with [enforcer] fast_path = false, and off whenever [scan] syn_only = observe", () => {
  expect(fastPathEnabled(config({}))).toBe(true);
  expect(fastPathEnabled(config({ HONEYMESH_ENFORCER_FAST_PATH: "false" }))).toBe(false);
  expect(fastPathEnabled(config({ HONEYMESH_SCAN_SYN_ONLY: "observe" }))).toBe(false);
  expect(fastPathEnabled(config({ HONEYMESH_SCAN_SYN_ONLY: "local" }))).toBe(true);
  expect(fastPathEnabled(config({ HONEYMESH_SCAN_SYN_ONLY: "ban" }))).toBe(true);
});
