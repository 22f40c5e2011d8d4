import { CliError } from "./errors.ts";

export interface Parsed {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Short options and what they stand for. */
const SHORT: Record<string, string> = { h: "help", V: "version", o: "o" };
export const OUTPUT_FORMATS = ["json", "table", "raw"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * `--name value`, `--name=value`, boolean `--name` (those listed in `booleans`), `-h`, `-V` and
 * `-o FORMAT`. Anything else that looks like an option is a usage error naming it (exit 2).
 */
export function parseArgs(argv: readonly string[], booleans: readonly string[], valued: readonly string[]): Parsed {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (/^-[A-Za-z]/.test(a)) {
      const name = SHORT[a.slice(1, 2)];
      if (!name) throw new CliError("USAGE", `unknown option ${a} (see honeymesh --help)`);
      if (name !== "o") {
        if (a.length > 2) throw new CliError("USAGE", `unknown option ${a} (see honeymesh --help)`);
        flags.set(name, true);
        continue;
      }
      const v = a.length > 2 ? a.slice(2).replace(/^=/, "") : argv[++i];
      if (v === undefined) throw new CliError("USAGE", `-o needs a value: ${OUTPUT_FORMATS.join(", ")}`);
      if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) throw new CliError("USAGE", `-o ${v}: expected one of ${OUTPUT_FORMATS.join(", ")}`);
      flags.set("o", v);
      continue;
    }
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
    } else throw new CliError("USAGE", `unknown option --${name} (see honeymesh --help)`);
  }
  return { positionals, flags };
}

/** `-o json|table|raw`, with `--json` kept as the old spelling of `-o json`. */
export function outputFormat(p: Parsed): OutputFormat {
  const o = p.flags.get("o");
  if (typeof o === "string") return o as OutputFormat;
  return p.flags.has("json") ? "json" : "table";
}
