import { existsSync } from "node:fs";
import { join } from "node:path";
import { Filter } from "./filter.ts";
import { parseFilterSpec, readFilter, resolveFilterPath } from "./reader.ts";

/**
 * Filters shipped with HoneyMesh: copies of Fail2Ban's own filter.d files (GPL-2.0, see
 * filter.d/README). A bundled service passes its checkout's copy (`builtinDir`), because its own
 * import.meta.dir is then the bundle's folder.
 */
export const BUILTIN_DIR = join(import.meta.dir, "..", "filter.d");

/**
 * Loads a filter by spec (`sshd`, `sshd[mode=aggressive]`, or a path to a `.conf`). Named filters
 * come from `dir` when given, else from the built-in copies.
 */
export function loadFilter(spec: string, dir?: string, builtinDir = BUILTIN_DIR): Filter {
  const { name, options } = parseFilterSpec(spec);
  const base = dir ?? builtinDir;
  let file = resolveFilterPath(name, base);
  if (!existsSync(file) && !dir) file = resolveFilterPath(name, "/etc/fail2ban/filter.d");
  return new Filter(readFilter(file, { options }));
}
