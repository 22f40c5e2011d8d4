import type { Config } from "@honeymesh/config/schema";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import { F2bFilterError } from "@honeymesh/f2b-filter/errors";
import type { JailConf } from "@honeymesh/f2b-filter/jail-conf";
import { f2bSeconds, honeymeshDuration, MAX_DURATION_S } from "./duration.ts";
import { ACTION_OPTIONS, TRANSLATED, translateIgnoreip, UNSUPPORTED } from "./options.ts";
import { matchesSomething, SkipJail, translateFilter, translateLogpath } from "./sources.ts";

/** One `[jails.<name>]` section as the config schema types it, only the keys set. */
export type JailSection = Partial<Config["jails"][string]>;

export interface ImportedJail {
  name: string;
  /** `file:line` of every `[name]` header that made this jail. */
  from: string[];
  config: JailSection;
  /** what the operator should know, written as comments above the section. */
  notes: string[];
  /** `option: what happened`, each also printed on stderr: what could not be translated. */
  warnings: string[];
}

export interface ImportResult {
  dir: string;
  files: string[];
  jails: ImportedJail[];
  /** enabled Fail2Ban jails that could not be imported at all, with why. */
  skipped: { name: string; reason: string }[];
}

const NAME = /^[A-Za-z0-9_.-]{1,32}$/;
const isTrue = (v: string | undefined) => /^(true|yes|on|1)$/i.test((v ?? "").trim());
const lines = (v: string | undefined) => (v ?? "").split("\n").map((s) => s.trim()).filter(Boolean);

/** Fail2Ban's enabled jails as HoneyMesh config sections. `builtinDir` is HoneyMesh's filter.d. */
export function importJails(conf: JailConf, builtinDir: string): ImportResult {
  const jails: ImportedJail[] = [];
  const skipped: ImportResult["skipped"] = [];
  for (const section of conf.jails) {
    const name = section.name;
    const warnings: string[] = [];
    const get = (key: string): string | undefined => {
      try {
        return conf.get(name, key);
      } catch (e) {
        if (!(e instanceof F2bFilterError)) throw e;
        warnings.push(`${key}: ${e.message}`);
        return undefined;
      }
    };
    const enabled = get("enabled");
    if (warnings.length) {
      skipped.push({ name, reason: warnings.join("; ") }); // cannot tell whether it is enabled: say so
      continue;
    }
    if (!isTrue(enabled)) continue;
    if (!NAME.test(name)) {
      skipped.push({ name, reason: "HoneyMesh jail names are 1-32 characters of A-Z a-z 0-9 _ . -" });
      continue;
    }
    try {
      jails.push(translateJail(conf, name, section.from, section.own, get, warnings, builtinDir));
    } catch (e) {
      if (!(e instanceof SkipJail)) throw e;
      skipped.push({ name, reason: [e.message, ...warnings].join("; ") });
    }
  }
  return { dir: conf.dir, files: conf.files, jails, skipped };
}

function translateJail(conf: JailConf, name: string, from: string[], own: string[], get: (k: string) => string | undefined, warnings: string[], builtinDir: string): ImportedJail {
  const config: JailSection = { enabled: true };
  const notes: string[] = [];
  const warn = (key: string, msg: string) => warnings.push(`${key}: ${msg}`);
  const backendText = (get("backend") ?? "auto").trim();
  const bm = /^([\w-]+)\s*(?:\[(.*)\])?$/s.exec(backendText);
  const backend = (bm?.[1] ?? backendText).toLowerCase();
  const journal = backend === "systemd";
  if (journal && bm?.[2]?.trim()) warn("backend", `options [${bm[2].trim()}] not supported (logd reads the local journal through journalctl)`);
  if (!journal && !["auto", "polling", "pyinotify", "gamin"].includes(backend)) warn("backend", `${backendText} unknown, read as files`);

  const filterSpec = translateFilter(conf.dir, name, get("filter"), builtinDir);
  config.filter = filterSpec;

  if (journal) {
    config.logpath = ["journal"];
    const jm = lines(get("journalmatch"));
    // Fail2Ban adds each line as its own match group; journalctl ORs groups joined by "+"
    if (jm.length) config.journalmatch = jm.join(" + ");
  } else {
    config.logpath = translateLogpath(get("logpath"), warn);
    if (config.logpath.length === 0) throw new SkipJail(`logpath is empty and backend is ${backendText} (Fail2Ban refuses this jail too)`);
    if (own.includes("journalmatch")) warn("journalmatch", `ignored: backend is ${backendText}, not systemd`);
  }

  const mr = get("maxretry");
  if (mr !== undefined) {
    const n = Number(mr.trim());
    if (Number.isInteger(n) && n >= 1 && n <= 100_000) config.maxretry = n;
    else warn("maxretry", `${JSON.stringify(mr)} is not an integer 1..100000; the default 5 applies`);
  }
  for (const key of ["findtime", "bantime"] as const) {
    const v = get(key);
    if (v === undefined) continue;
    const s = f2bSeconds(v);
    if (s === null || (s < 0 && key === "findtime")) {
      warn(key, `${JSON.stringify(v)} is not a duration; the default 10m applies`);
    } else if (s < 0 || s > MAX_DURATION_S) {
      warn(key, `${v.trim()} ${s < 0 ? "(permanent)" : ""} is longer than HoneyMesh allows; set to 365d`.replace("  ", " "));
      config[key] = "365d";
    } else config[key] = /^[0-9]+(\.[0-9]+)?[smhd]?$/.test(v.trim()) ? v.trim() : honeymeshDuration(s);
  }
  const ig = get("ignoreip");
  if (ig !== undefined && ig.trim()) {
    const t = translateIgnoreip(ig);
    if (t.entries.length) config.ignoreip = t.entries;
    if (t.masked.length) notes.push(`ignoreip host bits cleared: ${t.masked.join(", ")}`);
    for (const r of t.refused) warn("ignoreip", `entry ${r} not imported`);
  }
  const port = get("port");
  if (port !== undefined && port.trim()) {
    if (port.trim().length <= 256) config.port = port.trim();
    else warn("port", "longer than 256 characters, not imported");
  }

  // what a jail or the operator's [DEFAULT] sets that has no HoneyMesh key
  const considered = [...new Set([...own, ...conf.operatorDefaults])];
  const actions = considered.filter((k) => ACTION_OPTIONS.has(k));
  for (const k of actions) warn(k, "not imported: HoneyMesh drops a banned address in XDP itself (mail: [notify.<name>])");
  for (const k of considered) {
    if (TRANSLATED.has(k) || ACTION_OPTIONS.has(k)) continue;
    const reason = UNSUPPORTED[k];
    if (reason) warn(k, `not supported: ${reason}`);
    else if (!conf.variables.has(k)) warn(k, "not a HoneyMesh jail option, not imported");
  }

  // logd refuses a jail whose filter it cannot load: import it disabled, with the reason
  try {
    const withType = journal ? (filterSpec.includes("[") ? filterSpec.replace("[", "[logtype=journal, ") : `${filterSpec}[logtype=journal]`) : filterSpec;
    loadFilter(withType, undefined, builtinDir);
  } catch (e) {
    if (!(e instanceof F2bFilterError)) throw e;
    warn("filter", `HoneyMesh cannot load ${filterSpec}: ${e.message}; imported with enabled = false`);
    config.enabled = false;
  }
  if (!journal) {
    for (const p of config.logpath) if (!matchesSomething(p)) notes.push(`logpath ${p} matches no file here yet (logd follows it once it appears; a service that logs only to the journal needs logpath = ["journal"])`);
  }
  return { name, from, config, notes, warnings };
}
