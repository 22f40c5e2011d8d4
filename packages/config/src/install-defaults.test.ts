import { expect, test } from "bun:test";
import { loadConfig } from "./load.ts";
import { defaultConfigPath, defaultStateDir, INSTALLED, isInstalled } from "./install-defaults.ts";

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
