import { join, resolve } from "node:path";
import { F2bFilterError } from "@honeymesh/f2b-filter/errors";
import { readJailConf } from "@honeymesh/f2b-filter/jail-conf";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import type { OutputFormat } from "../args.ts";
import { CliError } from "../errors.ts";
import { renderToml } from "../jails-import/toml.ts";
import { importJails } from "../jails-import/translate.ts";

export const JAILS_IMPORT_USAGE = "usage: honeymesh jails import [DIR] [-o json]   (DIR defaults to /etc/fail2ban)";

interface Streams {
  out: (s: string) => void;
  err: (s: string) => void;
}

const std: Streams = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/**
 * `honeymesh jails import [DIR]`: Fail2Ban's enabled jails (jail.conf, jail.d, jail.local, with
 * includes and interpolation) as `[jails.<name>]` sections on stdout; everything that could not be
 * translated is named on stderr (jail and option) and as a comment beside the section. Exit 0 when
 * at least one jail was imported, 1 when DIR cannot be read or no jail is enabled.
 */
export function jailsImportCommand(positionals: readonly string[], out: OutputFormat, io: Streams = std, builtinDir = join(SOURCE_ROOT, "packages/f2b-filter/filter.d")): number {
  if (positionals.length > 1) throw new CliError("USAGE", JAILS_IMPORT_USAGE);
  // absolute, so that filter paths in the output do not depend on the directory logd runs in
  const dir = resolve(positionals[0] ?? "/etc/fail2ban");
  let conf;
  try {
    conf = readJailConf(dir);
  } catch (e) {
    if (!(e instanceof F2bFilterError)) throw e;
    io.err(`honeymesh: jails import: ${e.message}\n`);
    return 1;
  }
  const r = importJails(conf, builtinDir);
  for (const j of r.jails) {
    for (const w of j.warnings) io.err(`jails import: [${j.name}] ${w}\n`);
    for (const n of j.notes) io.err(`jails import: [${j.name}] note: ${n}\n`);
  }
  for (const s of r.skipped) io.err(`jails import: [${s.name}] enabled in Fail2Ban but not imported: ${s.reason}\n`);
  if (r.jails.length === 0) {
    io.err(`honeymesh: jails import: no jail could be imported: ${r.skipped.length ? `${r.skipped.length} enabled jail(s) failed (above)` : "no jail is enabled"} in ${dir} (read ${r.files.length} file(s))\n`);
    return 1;
  }
  if (out === "table") io.out(renderToml(r));
  else io.out(`${JSON.stringify(r, null, out === "json" ? 2 : undefined)}\n`);
  io.err(`jails import: ${r.jails.length} jail(s) imported from ${dir}: ${r.jails.map((j) => j.name).join(", ")}\n`);
  return 0;
}
