import type { ImportedJail, ImportResult, JailSection } from "./translate.ts";

/**
 * TOML basic string: JSON's escapes are TOML's, but TOML also forbids a raw DEL (U+007F) and
 * JSON.stringify leaves it (TOML 1.0 §String).
 */
export function tomlString(s: string): string {
  return JSON.stringify(s).replace(/\u007f/g, "\\u007F");
}

/** A comment holds no line break or control character, whatever a hostile file put in a value. */
function comment(s: string): string {
  return `# ${s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, " ")}`;
}

function key(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : tomlString(name);
}

const ORDER: (keyof JailSection)[] = ["enabled", "filter", "logpath", "journalmatch", "maxretry", "findtime", "bantime", "ignoreip", "port"];

function value(v: unknown): string {
  if (typeof v === "string") return tomlString(v);
  if (Array.isArray(v)) return `[${v.map(value).join(", ")}]`;
  return String(v);
}

function section(j: ImportedJail): string {
  const out = [comment(`[${j.name}] from ${j.from.join(", ")}`)];
  for (const n of j.notes) out.push(comment(n));
  for (const w of j.warnings) out.push(comment(`warning: ${w}`));
  out.push(`[jails.${key(j.name)}]`);
  for (const k of ORDER) if (j.config[k] !== undefined) out.push(`${k} = ${value(j.config[k])}`);
  return out.join("\n");
}

/** The enabled jails as `[jails.<name>]` sections to paste into honeymesh.toml. */
export function renderToml(r: ImportResult): string {
  const head = [
    comment(`Imported from Fail2Ban (${r.dir}) by honeymesh jails import.`),
    comment(`Files read, in order: ${r.files.join(", ")}`),
    comment("Actions (action, banaction) are not imported: HoneyMesh drops a banned address in XDP itself."),
    ...r.skipped.map((s) => comment(`[${s.name}] is enabled in Fail2Ban but was not imported: ${s.reason}`)),
  ];
  return `${[head.join("\n"), ...r.jails.map(section)].join("\n\n")}\n`;
}
