import { readFileSync, statSync } from "node:fs";
import { F2bFilterError } from "./errors.ts";
import { type IniFile, parseIni } from "./ini.ts";

/**
 * Reading Fail2Ban config files with bounds: each a regular file of at most `maxFileBytes`, and
 * at most `maxFiles` reads per resolution, includes counted each time they are named (a file that
 * names the same include k times, 16 levels deep, would otherwise be read k^16 times). Parsed
 * files are cached per resolution.
 */
export interface ReadLimits {
  maxFileBytes: number;
  maxFiles: number;
}

export interface ReadState {
  limits: ReadLimits;
  reads: number;
  cache: Map<string, IniFile>;
}

export function newReadState(limits: ReadLimits): ReadState {
  return { limits, reads: 0, cache: new Map() };
}

/** The parsed file, or null when it is missing or not a regular file (a missing include is skipped, as Fail2Ban does). */
export function readBounded(file: string, st: ReadState): IniFile | null {
  let size: number;
  try {
    const s = statSync(file);
    if (!s.isFile()) return null;
    size = s.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null; // a missing include is skipped, as Fail2Ban does
    throw new F2bFilterError("F2B_NOT_FOUND", `cannot read ${file}: ${(e as Error).message}`);
  }
  if (++st.reads > st.limits.maxFiles) throw new F2bFilterError("F2B_LIMIT", `more than ${st.limits.maxFiles} config files to read (includes counted each time), at ${file}`);
  const cached = st.cache.get(file);
  if (cached) return cached;
  if (size > st.limits.maxFileBytes) throw new F2bFilterError("F2B_LIMIT", `${file} is ${size} bytes, more than the ${st.limits.maxFileBytes} accepted`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new F2bFilterError("F2B_NOT_FOUND", `cannot read ${file}: ${(e as Error).message}`);
  }
  // the size can change between stat and read (a growing file, /proc): check what was read
  if (text.length > st.limits.maxFileBytes) throw new F2bFilterError("F2B_LIMIT", `${file} is larger than the ${st.limits.maxFileBytes} bytes accepted`);
  const ini = parseIni(text, file);
  st.cache.set(file, ini);
  return ini;
}

