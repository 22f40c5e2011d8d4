import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { F2bFilterError } from "./errors.ts";
import { newReadState, readBounded, type ReadState } from "./bounded-read.ts";
import type { IniFile } from "./ini.ts";

/**
 * Reads a Fail2Ban filter the way fail2ban-client does (client/configparserinc.py,
 * client/configreader.py, client/filterreader.py, helpers.substituteRecursiveTags):
 *   1. the include chain: `[INCLUDES] before`, the file, its `.local`, `after` (missing files skipped);
 *   2. merged sections, remembering overridden values as `known/<option>`;
 *   3. `%(name)s` interpolation (also `%(section/option)s`, `%(known/option)s`), jail options
 *      (e.g. `mode=aggressive`) taking precedence as configparser "vars";
 *   4. `<tag>` substitution, innermost first, so `<mdre-<mode>>` selects the mode's variable.
 */
export interface FilterDefinition {
  /** the file that was asked for. */
  file: string;
  /** every file read, in merge order. */
  files: string[];
  failregex: RegexSource[];
  ignoreregex: RegexSource[];
  prefregex: RegexSource | null;
  datepattern: string | null;
  maxlines: number;
  journalmatch: string[];
}

/** A regex as written after interpolation, with where it came from for error messages. */
export interface RegexSource {
  text: string;
  where: string;
}

type Section = Map<string, string>;

/** Several config files merged as configparser does, with overridden values under `KNOWN/<section>`. */
export interface Merged {
  defaults: Section;
  sections: Map<string, Section>;
  lines: Map<string, { file: string; line: number }>;
  files: string[];
}

function withLocal(file: string): string[] {
  const local = file.replace(/\.conf$/, ".local");
  return local !== file && existsSync(local) ? [file, local] : [file];
}

/** Filter files are small; a filter path in the config could name /dev/zero or a huge file. */
const LIMITS = { maxFileBytes: 1 << 20, maxFiles: 256 };
/** Includes nest a few levels in Debian's files; a deeper chain is a mistake or an attack. */
const MAX_INCLUDE_DEPTH = 16;

/** The paths `[INCLUDES] before` or `after` of `file` names, relative to its directory (configparserinc._getIncludes). */
export function includePaths(ini: IniFile, file: string, key: "before" | "after"): string[] {
  return (ini.sections.get("INCLUDES")?.get(key) ?? "")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((r) => (isAbsolute(r) ? r : join(dirname(file), r)));
}

function includeChain(file: string, seen: string[], st: ReadState): { file: string; ini: IniFile }[] {
  if (seen.length >= MAX_INCLUDE_DEPTH) throw new F2bFilterError("F2B_LIMIT", `includes nest deeper than ${MAX_INCLUDE_DEPTH} at ${file}`);
  const ini = readBounded(file, st);
  if (!ini) {
    if (existsSync(file)) throw new F2bFilterError("F2B_NOT_FOUND", `${file} is not a regular file`);
    return [];
  }
  const resolve = (key: "before" | "after") => includePaths(ini, file, key).flatMap((p) => (seen.includes(p) ? [] : withLocal(p).flatMap((f) => includeChain(f, [...seen, file], st))));
  return [...resolve("before"), { file, ini }, ...resolve("after")];
}

/** Merges already parsed files in order (later files override earlier ones). */
export function mergeIni(parsed: readonly { file: string; ini: IniFile }[]): Merged {
  const m: Merged = { defaults: new Map(), sections: new Map(), lines: new Map(), files: parsed.map((p) => p.file) };
  for (const { file: f, ini } of parsed) {
    for (const [k, v] of ini.defaults) m.defaults.set(k, v);
    for (const [name, sec] of ini.sections) {
      const prev = m.sections.get(name);
      if (prev) {
        const known = m.sections.get(`KNOWN/${name}`) ?? new Map<string, string>();
        for (const k of sec.keys()) {
          const old = prev.get(k);
          if (old !== undefined) known.set(k, old);
        }
        m.sections.set(`KNOWN/${name}`, known);
        for (const [k, v] of sec) prev.set(k, v);
      } else m.sections.set(name, new Map(sec));
    }
    for (const [k, line] of ini.lines) m.lines.set(k, { file: f, line });
  }
  return m;
}

const PCT = /%\(([^)]+)\)s|%%/g;
/**
 * Characters one option may expand to: `a = %(b)s%(b)s`, `b = %(c)s%(c)s`, … doubles at every
 * level, so depth alone does not bound memory on hostile input.
 */
const MAX_EXPANSION = 1 << 20;

function interpolate(m: Merged, section: string, value: string, vars: Map<string, string>, depth: number, budget = { left: MAX_EXPANSION }): string {
  if (depth > 20) throw new F2bFilterError("F2B_INTERPOLATION", `${m.files.at(-1)}: interpolation too deep in [${section}]`);
  if (!value.includes("%")) return value;
  return value.replace(PCT, (whole, nameRaw: string | undefined) => {
    if (whole === "%%") return "%";
    const name = (nameRaw ?? "").toLowerCase();
    let raw: string | undefined;
    const slash = name.indexOf("/");
    if (slash > 0) {
      const sec = name.slice(0, slash);
      const opt = name.slice(slash + 1);
      if (sec === "known") raw = m.sections.get(`KNOWN/${section}`)?.get(opt) ?? m.defaults.get(opt);
      else if (sec === "default") raw = m.defaults.get(opt);
      else {
        const found = [...m.sections.keys()].find((s) => s.toLowerCase() === sec);
        raw = (found ? m.sections.get(found)?.get(opt) : undefined) ?? m.defaults.get(opt);
      }
    } else raw = vars.get(name) ?? m.sections.get(section)?.get(name) ?? m.defaults.get(name);
    if (raw === undefined) {
      throw new F2bFilterError(
        "F2B_INTERPOLATION",
        `${m.files.at(-1)}: [${section}] refers to %(${nameRaw})s which is not defined`,
      );
    }
    const out = interpolate(m, section, raw, vars, depth + 1, budget);
    budget.left -= out.length;
    if (budget.left < 0) throw new F2bFilterError("F2B_INTERPOLATION", `${m.files.at(-1)}: [${section}] expands to more than ${MAX_EXPANSION} characters`);
    return out;
  });
}

/** configparser get(section, option, vars): vars first, then the section, then [DEFAULT]. */
export function getOpt(m: Merged, section: string, option: string, vars: Map<string, string>): string | undefined {
  const opt = option.toLowerCase();
  const raw = vars.get(opt) ?? m.sections.get(section)?.get(opt) ?? m.defaults.get(opt);
  return raw === undefined ? undefined : interpolate(m, section, raw, vars, 0);
}

/** Fail2Ban's get_ex: `section/option` names another section, `known/option` the overridden value. */
function getEx(m: Merged, section: string, option: string, vars: Map<string, string>): string | undefined {
  const sm = /^([\w-]+)\/([^\s>]+)$/.exec(option);
  if (sm) {
    const sec = sm[1] ?? "";
    const opt = sm[2] ?? "";
    const candidates = sec.toLowerCase() === "known" ? [`KNOWN/${section}`, section] : sec.toLowerCase() === "default" ? [] : [sec];
    for (const c of candidates) {
      const v = m.sections.get(c)?.get(opt.toLowerCase());
      if (v !== undefined) return interpolate(m, c.startsWith("KNOWN/") ? section : c, v, vars, 0);
    }
    if (sec.toLowerCase() === "default") {
      const v = m.defaults.get(opt.toLowerCase());
      if (v !== undefined) return interpolate(m, section, v, vars, 0);
    }
  }
  return getOpt(m, section, option, vars);
}

const TAG = /<([^ <>]+)>/g;
const MAX_TAG_REPLACE = 25;

function substituteTags(value: string, lookup: (tag: string) => string | undefined, where: string): string {
  const counts = new Map<string, number>();
  let out = value;
  let changed = true;
  while (changed) {
    changed = false;
    out = out.replace(TAG, (whole, tag: string) => {
      const repl = lookup(tag);
      if (repl === undefined) return whole;
      const n = (counts.get(tag) ?? 0) + 1;
      if (n > MAX_TAG_REPLACE) throw new F2bFilterError("F2B_INTERPOLATION", `${where}: <${tag}> refers to itself`);
      counts.set(tag, n);
      changed = true;
      return repl;
    });
  }
  return out;
}

export interface ReadOptions {
  /** jail-given options, e.g. `{mode: "aggressive"}` from `sshd[mode=aggressive]`. */
  options?: Record<string, string>;
  /** the filter.d directory that holds a named filter and its includes. */
  dir?: string;
}

/** Resolves `sshd` (in `dir`) or a path to a `.conf`. */
export function resolveFilterPath(filter: string, dir: string): string {
  if (filter.includes("/") || filter.endsWith(".conf")) return filter;
  return join(dir, `${filter}.conf`);
}

/** Parses `sshd[mode=aggressive, publickey="invalid"]` into the name and its options. */
export function parseFilterSpec(spec: string): { name: string; options: Record<string, string> } {
  const m = /^([^[\]]+?)\s*(?:\[(.*)\])?\s*$/.exec(spec);
  if (!m) throw new F2bFilterError("F2B_SYNTAX", `cannot parse filter name ${JSON.stringify(spec)}`);
  const options: Record<string, string> = {};
  const body = m[2] ?? "";
  const re = /\s*([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^,]*))\s*(?:,|$)/g;
  for (const o of body.matchAll(re)) {
    if (!o[1]) continue;
    options[o[1].toLowerCase()] = (o[2] ?? o[3] ?? o[4] ?? "").trim();
  }
  return { name: m[1] ?? spec, options };
}

const CONFIG_OPTS = ["usedns", "prefregex", "ignoreregex", "failregex", "maxlines", "datepattern", "journalmatch"];

export function readFilter(file: string, opts: ReadOptions = {}): FilterDefinition {
  if (!existsSync(file)) throw new F2bFilterError("F2B_NOT_FOUND", `filter file ${file} does not exist`);
  const st = newReadState(LIMITS);
  const m = mergeIni(withLocal(file).flatMap((f) => includeChain(f, [], st)));
  if (!m.sections.has("Definition")) throw new F2bFilterError("F2B_SYNTAX", `${file}: no [Definition] section`);
  const vars = new Map(Object.entries(opts.options ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const combined = new Map<string, string>();
  for (const o of CONFIG_OPTS) {
    const v = getOpt(m, "Definition", o, vars);
    if (v !== undefined) combined.set(o, v);
  }
  const init = new Map(vars);
  for (const [k] of m.sections.get("Init") ?? []) {
    const v = getOpt(m, "Init", k, new Map());
    if (v === undefined) continue;
    if (!k.startsWith("known/")) init.set(`known/${k}`, v);
    if (!init.has(k)) init.set(k, v);
  }
  for (const [k, v] of init) combined.set(k, v);
  const cache = new Map<string, string | undefined>();
  const lookup = (tag: string): string | undefined => {
    if (combined.has(tag)) return combined.get(tag);
    if (!cache.has(tag)) cache.set(tag, getEx(m, "Definition", tag, vars));
    return cache.get(tag);
  };
  const final = (o: string) => {
    const v = combined.get(o);
    return v === undefined ? undefined : substituteTags(v, lookup, `${basename(file)} ${o}`);
  };
  const where = (o: string, i: number) => {
    const l = m.lines.get(`Definition/${o}`);
    return l ? `${l.file}:${l.line} ${o}[${i}]` : `${file} ${o}[${i}]`;
  };
  const list = (o: string): RegexSource[] =>
    (final(o) ?? "")
      .split("\n")
      .filter((s) => s !== "")
      .map((text, i) => ({ text, where: where(o, i) }));
  const pref = final("prefregex");
  const maxlinesText = final("maxlines");
  const maxlines = maxlinesText ? Number.parseInt(maxlinesText, 10) : 1;
  if (!Number.isInteger(maxlines) || maxlines < 1) {
    throw new F2bFilterError("F2B_SYNTAX", `${file}: maxlines must be an integer ≥ 1, got ${maxlinesText}`);
  }
  return {
    file,
    files: m.files,
    failregex: list("failregex"),
    ignoreregex: list("ignoreregex"),
    prefregex: pref ? { text: pref, where: where("prefregex", 0) } : null,
    datepattern: final("datepattern") || null,
    maxlines,
    journalmatch: (final("journalmatch") ?? "").split("\n").map((s) => s.trim()).filter(Boolean),
  };
}
