import { F2bFilterError } from "./errors.ts";

/**
 * One Fail2Ban config file as Python's configparser reads it (the subset Fail2Ban uses):
 * `[section]` headers, `key = value` or `key: value`, option names lower-cased,
 * continuation lines are indented, full-line comments start with `#` or `;`, inline comments
 * start with " ;" (Fail2Ban sets inline_comment_prefixes=";"), and `[DEFAULT]` is kept apart
 * because every section inherits it.
 */
export interface IniFile {
  defaults: Map<string, string>;
  sections: Map<string, Map<string, string>>;
  /** option → 1-based line where it was defined, for error messages. */
  lines: Map<string, number>;
  /** section → 1-based line of its first header in this file. */
  headers: Map<string, number>;
}

const SECTION = /^\[([^\]]+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

export function parseIni(text: string, file: string): IniFile {
  const defaults = new Map<string, string>();
  const sections = new Map<string, Map<string, string>>();
  const lines = new Map<string, number>();
  const headers = new Map<string, number>();
  let cur: Map<string, string> | null = null;
  let curName = "";
  let opt: string | null = null;
  let acc: string[] = [];
  let indent = Number.MAX_SAFE_INTEGER;
  const flush = () => {
    if (cur && opt !== null) cur.set(opt, acc.join("\n").replace(/\s+$/, ""));
    opt = null;
    acc = [];
  };
  const src = text.split(/\r?\n/);
  for (let i = 0; i < src.length; i++) {
    let line = src[i] ?? "";
    const trimmed = line.trim();
    if (trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    // inline comment: ";" preceded by whitespace (configparser's rule)
    const ic = line.search(/\s;/);
    if (ic >= 0) line = line.slice(0, ic);
    const value = line.trim();
    if (!value) {
      if (opt !== null) acc.push("");
      continue;
    }
    const lead = line.search(/\S/);
    if (cur && opt !== null && lead > indent) {
      acc.push(value);
      continue;
    }
    indent = lead;
    const sm = SECTION.exec(value);
    if (sm) {
      flush();
      curName = sm[1] ?? "";
      if (!headers.has(curName)) headers.set(curName, i + 1);
      if (curName === "DEFAULT") cur = defaults;
      else {
        cur = sections.get(curName) ?? new Map();
        sections.set(curName, cur);
      }
      continue;
    }
    if (!cur) throw new F2bFilterError("F2B_SYNTAX", `${file}:${i + 1}: option outside of any [section]`);
    const om = OPTION.exec(value);
    if (!om) throw new F2bFilterError("F2B_SYNTAX", `${file}:${i + 1}: cannot parse line: ${value.slice(0, 80)}`);
    flush();
    opt = (om[1] ?? "").trim().toLowerCase();
    acc = [om[3] ?? ""];
    lines.set(`${curName}/${opt}`, i + 1);
  }
  flush();
  return { defaults, sections, lines, headers };
}
