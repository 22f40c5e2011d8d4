import { defaultConfigPath } from "./install-defaults.ts";

/**
 * `--config PATH` or `--config=PATH` from an argument list; the default is ./honeymesh.toml from a
 * checkout and /etc/honeymesh/honeymesh.toml when installed (install-defaults.ts).
 */
export function configPathFromArgv(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--config" && argv[i + 1]) return argv[i + 1]!;
    if (a.startsWith("--config=")) return a.slice("--config=".length);
  }
  return defaultConfigPath();
}
