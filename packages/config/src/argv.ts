/** `--config PATH` or `--config=PATH` from an argument list; the default is ./honeymesh.toml. */
export function configPathFromArgv(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--config" && argv[i + 1]) return argv[i + 1]!;
    if (a.startsWith("--config=")) return a.slice("--config=".length);
  }
  return "./honeymesh.toml";
}
