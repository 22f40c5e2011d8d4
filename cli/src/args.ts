import { CliError } from "./errors.ts";

export interface Parsed {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value` and boolean `--name` (those listed in `booleans`). */
export function parseArgs(argv: readonly string[], booleans: readonly string[], valued: readonly string[]): Parsed {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq > 0 ? eq : undefined);
    if (booleans.includes(name) && eq < 0) flags.set(name, true);
    else if (valued.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new CliError("USAGE", `--${name} needs a value`);
      flags.set(name, v);
    } else throw new CliError("USAGE", `unknown option --${name}`);
  }
  return { positionals, flags };
}
