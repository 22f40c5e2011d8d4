import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Glob } from "bun";

/** Thrown when an enabled jail cannot be imported at all (reported with its name, never dropped). */
export class SkipJail extends Error {}

const lines = (v: string | undefined) => (v ?? "").split("\n").map((s) => s.trim()).filter(Boolean);

/**
 * `name[options]` → HoneyMesh's filter spec. A filter HoneyMesh ships keeps its name, unless
 * the operator has a `filter.d/<name>.local` (then the Fail2Ban file is named, so the override
 * applies); any other filter is named by its absolute path in DIR/filter.d.
 */
export function translateFilter(dir: string, jail: string, raw: string | undefined, builtinDir: string): string {
  const text = (raw ?? jail).trim() || jail;
  const m = /^([^[\]]+?)\s*(\[.*\])?$/s.exec(text);
  if (!m) throw new SkipJail(`filter ${JSON.stringify(text.slice(0, 80))} cannot be parsed`);
  const base = m[1] ?? jail;
  const opts = (m[2] ?? "").replace(/\s*\n\s*/g, " ");
  let spec: string;
  if (base.includes("/") || base.endsWith(".conf")) {
    spec = isAbsolute(base) ? base : join(dir, "filter.d", base.endsWith(".conf") ? base : `${base}.conf`);
    if (!existsSync(spec)) throw new SkipJail(`filter file ${spec} does not exist`);
  } else {
    const own = join(dir, "filter.d", `${base}.conf`);
    if (existsSync(join(builtinDir, `${base}.conf`)) && !existsSync(join(dir, "filter.d", `${base}.local`))) spec = base;
    else if (existsSync(own)) spec = own;
    else throw new SkipJail(`filter ${base} is neither built into HoneyMesh nor in ${join(dir, "filter.d")}`);
  }
  const full = spec + opts;
  if (full.length > 512) throw new SkipJail("filter is longer than 512 characters");
  return full;
}

/** Fail2Ban's `logpath = path [head|tail]`, one per line; logd wants absolute paths or globs. */
export function translateLogpath(raw: string | undefined, warn: (k: string, m: string) => void): string[] {
  const out: string[] = [];
  for (const l of lines(raw)) {
    const m = /^(.*?)(?:\s+(head|tail))?$/.exec(l);
    const p = m?.[1] ?? l;
    if (m?.[2] === "head") warn("logpath", `${p}: "head" (read from the start) not supported; logd reads new lines`);
    if (!isAbsolute(p)) warn("logpath", `${p.slice(0, 256)} is not an absolute path, not imported`);
    else if (p.length > 4096) warn("logpath", "a path longer than 4096 characters, not imported");
    else if (out.length >= 64) warn("logpath", `${p} not imported: at most 64 paths per jail`);
    else if (!out.includes(p)) out.push(p);
  }
  return out;
}

export function matchesSomething(p: string): boolean {
  if (!/[*?[{]/.test(p)) return existsSync(p);
  if (p.includes("**")) return true; // a recursive walk of someone else's tree is not worth a hint
  const base = p.slice(0, p.search(/[*?[{]/)).replace(/\/[^/]*$/, "") || "/";
  if (!existsSync(base)) return false;
  try {
    for (const _ of new Glob(p.slice(base.length).replace(/^\//, "")).scanSync({ cwd: base, onlyFiles: true })) return true;
  } catch {
    return false;
  }
  return false;
}
