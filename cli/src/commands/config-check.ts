import { configPathFromArgv } from "@honeymesh/config/argv";
import { ConfigError } from "@honeymesh/config/errors";
import { loadConfig } from "@honeymesh/config/load";

/** `honeymesh config check`: parse and validate like a service would, start nothing. Exit 2 naming the key. */
export function configCheckCommand(configArgs: readonly string[], env: Record<string, string | undefined>): number {
  const path = configPathFromArgv(configArgs);
  try {
    const c = loadConfig({ path, explicit: configArgs.length > 0, env });
    process.stdout.write(`config ${c.path} is valid (state dir ${c.node.state_dir}, enforcer mode ${c.enforcer.mode})\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`honeymesh: ${e.message}\n`);
    return 2;
  }
}
