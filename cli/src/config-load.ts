import { configPathFromArgv } from "@honeymesh/config/argv";
import { ConfigError } from "@honeymesh/config/errors";
import { loadConfig } from "@honeymesh/config/load";
import type { FrozenConfig } from "@honeymesh/config/schema";

/** The config without boot()'s side effects (node id, keys); a bad config exits 2 naming the key. */
export function loadConfigOrExit(configArgs: readonly string[]): FrozenConfig {
  try {
    return loadConfig({ path: configPathFromArgv(configArgs), explicit: configArgs.length > 0, env: process.env });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`honeymesh: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}
