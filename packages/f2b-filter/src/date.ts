import { F2bFilterError } from "./errors.ts";

/**
 * Date detection as Fail2Ban does it (server/datedetector.py, datetemplate.py, strptime.py):
 * find the timestamp, cut it out of the line (the failregex sees the rest), turn it into epoch ms.
 * Times without a zone are local; a missing year is this year (last year if that lies > 1 day
 * in the future).
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MON_RE = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const DAY_RE = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*";

/** strptime directives (Fail2Ban's timeRE), as JS with named groups. */
const DIRECTIVES: Record<string, string> = {
  a: `(?<a>${DAY_RE})`,
  A: `(?<a>${DAY_RE})`,
  b: `(?<b>${MON_RE})`,
  B: `(?<b>${MON_RE})`,
  d: String.raw`(?<d>[1-2]\d|[0 ]?[1-9]|3[0-1])`,
  m: String.raw`(?<m>0?[1-9]|1[0-2])`,
  Y: String.raw`(?<Y>\d{4})`,
  y: String.raw`(?<y>\d{2})`,
  H: String.raw`(?<H>[0-1]?\d|2[0-3])`,
  k: String.raw` ?(?<H>[0-2]?\d)`,
  I: String.raw`(?<I>1[0-2]|0?[1-9])`,
  l: String.raw` ?(?<I>1?\d)`,
  M: String.raw`(?<M>[0-5]?\d)`,
  S: String.raw`(?<S>[0-5]?\d|6[0-1])`,
  f: String.raw`(?<f>\d+)`,
  p: "(?<p>AM|PM|am|pm)",
  z: String.raw`(?<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)`,
  Z: "(?<Z>Z|[A-Z]{3,5})",
  j: String.raw`(?<j>36[0-6]|3[0-5]\d|[12]\d\d|0?[1-9]\d|0?0?[1-9])`,
  ExY: String.raw`(?<Y>20\d\d|19\d\d)`,
  Exy: String.raw`(?<y>\d{2})`,
  Exd: String.raw`(?<d>[1-2]\d|0[1-9]|3[0-1])`,
  Exm: String.raw`(?<m>0[1-9]|1[0-2])`,
  ExH: String.raw`(?<H>[0-1]\d|2[0-3])`,
  Exk: String.raw` ?(?<H>[0-1]?\d|2[0-3])`,
  Exl: String.raw` ?(?<I>1[0-2]|\d)`,
  ExM: String.raw`(?<M>[0-5]\d)`,
  ExS: String.raw`(?<S>[0-5]\d|6[0-1])`,
  ExZ: "(?<Z>[A-Z]{3,5})",
  Exz: String.raw`(?<z>[+-][01]\d(?::?\d{2})?|[A-Z]{3,5})`,
  "%": "%",
};

const EPOCH_RE = String.raw`(?<epoch>(?<=^|\D)\d{10}(?:\.\d{3,6})?)(?!\d)`;
const LEPOCH_RE = String.raw`(?<lepoch>(?<=^|\D)\d{13}(?:\d{3}(?:\d{3})?)?)(?!\d)`;

const DEFAULT_PATTERNS = [
  String.raw`%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?`,
  String.raw`(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
  String.raw`(?:%a )?%b %d %ExY %k:%M:%S(?:\.%f)?`,
  String.raw`%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S`,
  String.raw`%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?`,
  String.raw`%m/%d/%ExY:%H:%M:%S`,
  String.raw`%m-%d-%ExY %k:%M:%S(?:\.%f)?`,
  "EPOCH",
  String.raw`{^LN-BEG}%H:%M:%S`,
  String.raw`^<%m/%d/%Exy@%H:%M:%S>`,
  String.raw`%Exy%Exm%Exd  ?%H:%M:%S`,
  String.raw`%b %d, %ExY %I:%M:%S %p`,
  String.raw`^%b-%d-%Exy %k:%M:%S`,
  String.raw`%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\s*%z)?`,
  String.raw`(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
  String.raw`(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
  "TAI64N",
];

export interface DateTemplate {
  name: string;
  re: RegExp;
  lineBegin: boolean;
}

export interface DateMatch {
  /** cut span in the line. */
  start: number;
  end: number;
  /** epoch ms, or null when no usable time was found (`{NONE}`). */
  time: number | null;
}

function patternToRegex(pattern: string): string {
  let s = pattern
    .replace(/\(\?P<(\w+)>/g, "(?<$1>")
    .replace(/\(\?P=(\w+)\)/g, "\\k<$1>")
    .replace(/(?<!\\)\{L?EPOCH\}/gi, (m) => (m.toUpperCase().includes("LEPOCH") ? LEPOCH_RE : EPOCH_RE));
  s = s.replace(/%(Ex[a-zA-Z]|[a-zA-Z%])/g, (whole, d: string) => {
    const r = DIRECTIVES[d];
    if (r === undefined) throw new F2bFilterError("F2B_DATEPATTERN", `unsupported date directive ${whole} in ${pattern}`);
    return r;
  });
  return s;
}

/** Builds one template the way DatePatternRegex/DateTemplate.setRegex does. */
export function makeTemplate(patternIn: string, forceLineBegin = false): DateTemplate {
  let pattern = patternIn.trim();
  let wordBegin: boolean | "start" = true;
  let wordEnd = true;
  if (pattern.startsWith("{UNB}")) {
    pattern = pattern.slice(5);
    wordBegin = wordEnd = false;
  }
  if (wordBegin && pattern.startsWith("{^LN-BEG}")) {
    pattern = pattern.slice(9);
    wordBegin = "start";
  }
  if (forceLineBegin && wordBegin) wordBegin = "start";
  let body: string;
  if (pattern === "EPOCH" || pattern === "LEPOCH") body = pattern === "EPOCH" ? EPOCH_RE : LEPOCH_RE;
  else if (pattern === "TAI64N") body = String.raw`@?(?<tai>[0-9a-fA-F]{24})`;
  else body = patternToRegex(pattern);
  const ci = /(?<!%)%[aAbBpc]/.test(pattern);
  let flags = ci ? "i" : "";
  const gf = /^\(\?([a-z]+)\)/.exec(body);
  if (gf) {
    body = body.slice(gf[0].length);
    if ((gf[1] ?? "").includes("i") && !flags.includes("i")) flags += "i";
  }
  const noBegin = /^\(*(?:\^|\(\?:\^)/.test(body) || body.startsWith("**");
  const noEnd = /(?<!\\)(?:\$\)?|\\b|\\s|\*\*\)*)$/.test(body);
  body = body.replace(/^\*\*/, "").replace(/\*\*$/, "");
  // the cut span: the first unnamed capture group, else the whole date
  const unnamed = /(?<!\\)\((?!\?)/.exec(body);
  if (unnamed) body = `${body.slice(0, unnamed.index)}(?<__date>${body.slice(unnamed.index + 1)}`;
  else {
    const lead = /^\^/.exec(body);
    const trail = /(?<!\\)\$$/.exec(body);
    const inner = body.slice(lead ? 1 : 0, trail ? body.length - 1 : body.length);
    body = `${lead ? "^" : ""}(?<__date>${inner})${trail ? "$" : ""}`;
  }
  let lineBegin = /^\^/.test(body);
  if (wordBegin && !noBegin) {
    if (wordBegin === "start") {
      body = String.raw`^(?:\W{0,2})?` + body;
      lineBegin = true;
    } else body = String.raw`(?=^|\b|\W)` + body;
  }
  if (wordEnd && !noEnd) body += String.raw`(?=\b|\W|$)`;
  try {
    return { name: patternIn, re: new RegExp(body, flags), lineBegin };
  } catch (e) {
    throw new F2bFilterError("F2B_DATEPATTERN", `datepattern ${patternIn}: ${(e as Error).message}`);
  }
}

let defaults: DateTemplate[] | null = null;
function defaultTemplates(): DateTemplate[] {
  if (!defaults) {
    const plain = DEFAULT_PATTERNS.map((p) => makeTemplate(p));
    // Fail2Ban prefers a date at the start of the line: anchored copies come first
    const anchored = DEFAULT_PATTERNS.filter((p) => !p.startsWith("{^LN-BEG}") && !p.startsWith("^")).map((p) =>
      makeTemplate(p, true),
    );
    defaults = [...anchored, ...plain];
  }
  return defaults;
}

export class DateDetector {
  private readonly templates: DateTemplate[];
  private readonly none: boolean;
  constructor(datepattern: string | null) {
    this.none = false;
    if (!datepattern) {
      this.templates = defaultTemplates();
      return;
    }
    const list: DateTemplate[] = [];
    for (const raw of datepattern.split("\n").map((s) => s.trim()).filter(Boolean)) {
      const key = raw.includes("%") ? raw : raw.toUpperCase();
      if (key === "{^LN-BEG}") list.push(...defaultTemplates().filter((t) => t.lineBegin));
      else if (key === "{DEFAULT}") list.push(...defaultTemplates());
      else if (key === "{NONE}") this.none = true;
      else if (raw.includes("{DATE}")) {
        for (const p of DEFAULT_PATTERNS) {
          if (p === "TAI64N") continue;
          const unb = p.replace(/^\{\^LN-BEG\}/, "").replace(/^\^/, "");
          list.push(makeTemplate(raw.replace("{DATE}", unb === "EPOCH" ? "{EPOCH}" : unb)));
        }
      } else list.push(makeTemplate(raw));
    }
    this.templates = list;
  }

  match(line: string, now = Date.now()): DateMatch | null {
    if (this.none) return { start: 0, end: 0, time: null };
    for (const t of this.templates) {
      const m = t.re.exec(line);
      if (!m?.groups) continue;
      const text = m.groups.__date ?? m[0];
      const start = m.index + m[0].indexOf(text);
      return { start, end: start + text.length, time: toEpoch(m.groups, now) };
    }
    return null;
  }
}

// Per-line Date objects were a tenth of logd's time (bench/logd): log lines come in time order,
// so one remembered "now" and one remembered local minute answer almost every line. Offsets
// from UTC change on minute boundaries at worst (tz database), so a minute's start plus its
// seconds is exact; seconds beyond 59 or days beyond the month go through Date as before.
let nowCache = { now: Number.NaN, year: 0, month: 0, day: 0 };
function localDate(now: number): { year: number; month: number; day: number } {
  if (nowCache.now !== now) {
    const d = new Date(now);
    nowCache = { now, year: d.getFullYear(), month: d.getMonth(), day: d.getDate() };
  }
  return nowCache;
}
let minuteCache = { key: Number.NaN, at: 0 };
function localMinute(y: number, month: number, day: number, hour: number, min: number): number {
  // a key only for fields in their ranges (Date normalises the others, which could collide)
  if (!(month >= 0 && month < 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24 && min >= 0 && min < 60 && Number.isInteger(y + month + day + hour + min))) return new Date(y, month, day, hour, min, 0, 0).getTime();
  const key = (((y * 12 + month) * 32 + day) * 24 + hour) * 60 + min;
  if (minuteCache.key !== key) minuteCache = { key, at: new Date(y, month, day, hour, min, 0, 0).getTime() };
  return minuteCache.at;
}

function toEpoch(g: Record<string, string | undefined>, now: number): number | null {
  if (g.epoch) return Math.round(Number.parseFloat(g.epoch) * 1000);
  if (g.lepoch) return Number(g.lepoch.slice(0, 13));
  if (g.tai) return Number((BigInt(`0x${g.tai.slice(0, 16)}`) - 0x400000000000000an)) * 1000 - 10_000 + Math.floor(Number.parseInt(g.tai.slice(16), 16) / 1e6);
  const nowD = localDate(now);
  let year = g.Y ? Number(g.Y) : g.y ? 2000 + Number(g.y) : nowD.year;
  const month = g.b ? MONTHS.indexOf(g.b.slice(0, 3).toLowerCase()) : g.m ? Number(g.m) - 1 : nowD.month;
  const day = g.d ? Number(g.d.trim()) : nowD.day;
  let hour = g.H ? Number(g.H.trim()) : g.I ? Number(g.I.trim()) % 12 : 0;
  if (g.I && g.p && g.p.toLowerCase() === "pm") hour += 12;
  const min = Number(g.M ?? 0);
  const sec = Number(g.S ?? 0);
  const ms = g.f ? Math.floor(Number(`0.${g.f}`) * 1000) : 0;
  const zone = g.z;
  const build = (y: number) => {
    if (zone !== undefined) {
      let off = 0;
      const zm = /^([+-])(\d\d):?(\d\d)?$/.exec(zone);
      if (zm) off = (zm[1] === "-" ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3] ?? 0));
      return Date.UTC(y, month, day, hour, min, sec, ms) - off * 60_000;
    }
    return localMinute(y, month, day, hour, min) + sec * 1000 + ms;
  };
  let t = build(year);
  if (!g.Y && !g.y && t > now + 86_400_000) t = build(--year);
  return Number.isFinite(t) ? t : null;
}
