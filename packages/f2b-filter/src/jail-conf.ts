import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { F2bFilterError } from "./errors.ts";
import { type IniFile, parseIni } from "./ini.ts";
import { getOpt, includePaths, type Merged, mergeIni } from "./reader.ts";
import { newReadState, readBounded, type ReadState } from "./bounded-read.ts";

/**
 * Reads a Fail2Ban jail configuration the way fail2ban-client does (client/configreader.py,
 * client/configparserinc.py): `jail.conf`, `jail.d/*.conf` (sorted), `jail.local`,
 * `jail.d/*.local` (sorted), each expanded with its `[INCLUDES] before/after` (and an included
 * file's `.local`), merged in that order, `[DEFAULT]` inherited, `%(name)s` interpolated when an
 * option is asked for (so a jail's action strings are never expanded unless someone needs them).
 *
 * The files are input from outside: each is refused above `maxFileBytes`, the whole set above
 * `maxFiles` reads (includes counted every time), and an include loop is an error naming the chain
 * (Fail2Ban skips it silently; here it is almost certainly a mistake the operator wants to see).
 */
export interface JailConfLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxJails: number;
}

export const JAIL_CONF_LIMITS: JailConfLimits = { maxFileBytes: 1 << 20, maxFiles: 256, maxJails: 1024 };

export interface JailSection {
  name: string;
  /** `file:line` of each `[name]` header, in merge order. */
  from: string[];
  /** options written in the jail's own section (any file), lower-cased. */
  own: string[];
}

export interface JailConf {
  dir: string;
  /** every file read, in merge order. */
  files: string[];
  jails: JailSection[];
  /** [DEFAULT] options the operator set (in jail.local, jail.d/…): not Fail2Ban's stock jail.conf or paths-*.conf. */
  operatorDefaults: string[];
  /** names used as `%(name)s` somewhere: variables for interpolation rather than jail options. */
  variables: Set<string>;
  /** the option as Fail2Ban would see it in that jail (interpolated); throws F2bFilterError. */
  get(jail: string, option: string): string | undefined;
  /** `file:line` where the jail's effective value of option was written. */
  where(jail: string, option: string): string | undefined;
}

/** configparserinc._getIncludes: before, the file, after; an include's `.local` follows it. */
function includeChain(file: string, stack: string[], st: ReadState): { file: string; ini: IniFile }[] {
  if (stack.includes(file)) throw new F2bFilterError("F2B_INCLUDE_LOOP", `include loop: ${[...stack, file].join(" → ")}`);
  const ini = readBounded(file, st);
  if (!ini) return [];
  const resolve = (key: "before" | "after") =>
    includePaths(ini, file, key).flatMap((p) => {
      const local = p.replace(/\.conf$/, ".local");
      return [p, ...(local !== p ? [local] : [])].flatMap((f) => includeChain(f, [...stack, file], st));
    });
  return [...resolve("before"), { file, ini }, ...resolve("after")];
}

function listDir(dir: string, ext: string, st: ReadState): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw new F2bFilterError("F2B_NOT_FOUND", `cannot list ${dir}: ${(e as Error).message}`);
  }
  const picked = names.filter((n) => n.endsWith(ext) && !n.startsWith("."));
  if (picked.length > st.limits.maxFiles) throw new F2bFilterError("F2B_LIMIT", `${dir} holds ${picked.length} *${ext} files, more than ${st.limits.maxFiles}`);
  // Python's sorted(glob(...)): code-point order
  return picked.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => join(dir, n));
}

/** Options Fail2Ban's own stock files set in [DEFAULT]: not the operator's choice. */
function isStock(dir: string, file: string): boolean {
  const b = basename(file);
  return dirname(file) === dir && (b === "jail.conf" || /^paths-.*\.conf$/.test(b));
}

const REF = /%\(([^)]+)\)s/g;

export function readJailConf(dir: string, limits: JailConfLimits = JAIL_CONF_LIMITS): JailConf {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    throw new F2bFilterError("F2B_NOT_FOUND", `Fail2Ban directory ${dir}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : (e as Error).message}`);
  }
  if (!isDir) throw new F2bFilterError("F2B_NOT_FOUND", `${dir} is not a directory`);
  const st = newReadState(limits);
  const jailD = join(dir, "jail.d");
  const top = [join(dir, "jail.conf"), ...listDir(jailD, ".conf", st), join(dir, "jail.local"), ...listDir(jailD, ".local", st)];
  const parsed = top.flatMap((f) => includeChain(f, [], st));
  if (!parsed.some((p) => dirname(p.file) === dir || dirname(p.file) === jailD)) {
    throw new F2bFilterError("F2B_NOT_FOUND", `${dir} holds no jail.conf, jail.local or jail.d/*.conf to import`);
  }
  const m: Merged = mergeIni(parsed);
  const jails = new Map<string, JailSection>();
  for (const { file, ini } of parsed) {
    for (const [name, sec] of ini.sections) {
      if (name === "INCLUDES" || name.startsWith("KNOWN/")) continue;
      const j = jails.get(name) ?? { name, from: [], own: [] };
      j.from.push(`${file}:${ini.headers.get(name) ?? 0}`);
      for (const k of sec.keys()) if (!j.own.includes(k)) j.own.push(k);
      jails.set(name, j);
    }
  }
  if (jails.size > limits.maxJails) throw new F2bFilterError("F2B_LIMIT", `${jails.size} jail sections, more than ${limits.maxJails}`);
  const operatorDefaults = [...m.lines].filter(([k, at]) => k.startsWith("DEFAULT/") && !isStock(dir, at.file)).map(([k]) => k.slice("DEFAULT/".length));
  const variables = new Set<string>();
  for (const sec of [m.defaults, ...m.sections.values()]) {
    for (const v of sec.values()) for (const r of v.matchAll(REF)) variables.add((r[1] ?? "").toLowerCase().replace(/^[^/]*\//, ""));
  }
  return {
    dir,
    files: parsed.map((p) => p.file),
    jails: [...jails.values()],
    operatorDefaults,
    variables,
    get: (jail, option) => getOpt(m, jail, option, new Map([["__name__", jail]])),
    where: (jail, option) => {
      const at = m.lines.get(`${jail}/${option}`) ?? m.lines.get(`DEFAULT/${option}`);
      return at ? `${at.file}:${at.line}` : undefined;
    },
  };
}
