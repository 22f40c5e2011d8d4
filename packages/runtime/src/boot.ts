import type { FrozenConfig } from "@honeymesh/config/schema";
import { configPathFromArgv } from "@honeymesh/config/argv";
import { ConfigError } from "@honeymesh/config/errors";
import { loadConfig } from "@honeymesh/config/load";
import { ensureKeys } from "@honeymesh/keys/keystore";
import { ensureNodeId } from "@honeymesh/keys/node-id";
import { BUS_IDENTITIES } from "@honeymesh/schema/services";

export interface Boot {
  config: FrozenConfig;
  nodeId: string;
}

/**
 * Parses the config once (the only place that reads process.env), then makes sure the node id
 * and every identity's key exist. A bad config exits 2 with the message naming the key.
 */
export async function boot(argv: readonly string[] = process.argv.slice(2)): Promise<Boot> {
  let config: FrozenConfig;
  try {
    config = loadConfig({ path: configPathFromArgv(argv), explicit: argv.some((a) => a.startsWith("--config")), env: process.env });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`honeymesh: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const nodeId = ensureNodeId(config.node.state_dir, config.node.id);
  await ensureKeys(config.node.state_dir, nodeId, BUS_IDENTITIES);
  return { config, nodeId };
}
