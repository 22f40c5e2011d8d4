import { expect, test } from "bun:test";
import { loadConfig } from "./load.ts";
import { defaultConfigPath, defaultRuntimeDir, defaultStateDir, INSTALLED, isInstalled } from "./install-defaults.ts";

test("an installed executable without ./honeymesh.toml uses /etc and /var/lib", () => {
  expect(isInstalled("/usr/bin/honeymesh", false)).toBe(true);
  expect(isInstalled("/usr/bin/honeymesh-enforcerd", false)).toBe(true);
  expect(defaultConfigPath(true)).toBe("/etc/honeymesh/honeymesh.toml");
  expect(defaultStateDir(true)).toBe("/var/lib/honeymesh");
});

test("a checkout (bun in /usr/bin running sources, or a local ./honeymesh.toml) keeps ./", () => {
  expect(isInstalled("/usr/bin/bun", false)).toBe(false);
  expect(isInstalled("/usr/bin/honeymesh", true)).toBe(false);
  expect(isInstalled("/opt/x/honeymesh", false)).toBe(false);
  expect(defaultConfigPath(false)).toBe("./honeymesh.toml");
});

test("the state dir default applies only when neither file nor environment sets it", () => {
  const c = loadConfig({ path: "/nonexistent/honeymesh.toml", explicit: false, defaultStateDir: INSTALLED.state_dir });
  expect(c.node.state_dir).toBe("/var/lib/honeymesh");
  const e = loadConfig({ path: "/nonexistent/honeymesh.toml", explicit: false, defaultStateDir: INSTALLED.state_dir, env: { HONEYMESH_NODE_STATE_DIR: "/srv/hm" } });
  expect(e.node.state_dir).toBe("/srv/hm");
});

test("an installed node's sockets default to its runtime dir; the file and the environment still decide", () => {
  const opts = { path: "/nonexistent/honeymesh.toml", explicit: false, defaultStateDir: INSTALLED.state_dir, defaultRuntimeDir: INSTALLED.runtime_dir };
  const c = loadConfig(opts);
  expect(c.bus.socket).toBe("/run/honeymesh/bus.sock");
  expect(c.api.socket).toBe("/run/honeymesh/api.sock");
  const e = loadConfig({ ...opts, env: { HONEYMESH_BUS_SOCKET: "", HONEYMESH_API_SOCKET: "/srv/a.sock" } });
  expect(e.bus.socket).toBe("");
  expect(e.api.socket).toBe("/srv/a.sock");
  // From a checkout: under the state dir.
  const k = loadConfig({ ...opts, defaultRuntimeDir: undefined });
  expect(k.bus.socket).toBe("run/bus.sock");
  expect(k.api.socket).toBe("/var/lib/honeymesh/run/api.sock");
  expect(defaultRuntimeDir(true)).toBe("/run/honeymesh");
  expect(defaultRuntimeDir(false)).toBeUndefined();
});
