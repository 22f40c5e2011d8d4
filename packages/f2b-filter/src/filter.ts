import { DateDetector } from "./date.ts";
import { F2bFilterError } from "./errors.ts";
import { expandConditionals, translate } from "./pyregex.ts";
import type { FilterDefinition, RegexSource } from "./reader.ts";
import { resolveTags } from "./tags.ts";

/**
 * A compiled Fail2Ban filter: one log line in, one verdict out (server/filter.py processLine /
 * findFailure): date cut out, prefregex (with <F-CONTENT>), failregex in order, ignoreregex,
 * multi-line buffering up to maxlines, and the <F-MLFID> connection cache with <F-NOFAIL>,
 * <F-MLFFORGET>, <F-MLFGAINED> so sshd's multi-line semantics hold.
 */
export type Verdict =
  | {
      kind: "failure";
      /** the failure id as Fail2Ban reports it (address, DNS name, or <F-ID>). */
      id: string;
      /** the IPv4/IPv6 address, null when the host was a DNS name (never resolved). */
      address: string | null;
      time: number | null;
      regex: number;
      groups: Record<string, string>;
    }
  | { kind: "ignored"; regex: number }
  | { kind: "nofail" }
  | { kind: "miss" };

interface Compiled {
  variants: RegExp[];
  where: string;
}

const FAILURE_ID_GROUPS = ["fid", "ip4", "ip6", "dns", "mlfid"];

function compile(src: RegexSource, multiline: boolean, requireId: boolean, prefHasId: boolean): Compiled {
  const py = resolveTags(src.text);
  if (py.trim() === "") throw new F2bFilterError("F2B_REGEX_INVALID", `${src.where}: empty regex`);
  const variants = expandConditionals(py, src.where).map((v) => {
    const js = translate(v, src.where);
    try {
      return new RegExp(js.source, js.flags + (multiline ? "m" : ""));
    } catch (e) {
      throw new F2bFilterError("F2B_REGEX_INVALID", `${src.where}: ${(e as Error).message}`);
    }
  });
  if (requireId && !prefHasId && !FAILURE_ID_GROUPS.some((g) => py.includes(`(?P<${g}>`))) {
    throw new F2bFilterError("F2B_REGEX_INVALID", `${src.where}: no failure-id group (<HOST>, <ADDR>, <F-ID> …)`);
  }
  return { variants, where: src.where };
}

function search(c: Compiled, buf: string): RegExpExecArray | null {
  for (const re of c.variants) {
    const m = re.exec(buf);
    if (m) return m;
  }
  return null;
}

function groupsOf(m: RegExpExecArray): Record<string, string> {
  const out: Record<string, string> = {};
  // for-in, not Object.entries: no pair arrays per group on the per-line path (bench/logd)
  const g = m.groups;
  if (g) for (const k in g) if (g[k] !== undefined) out[k] = g[k]!;
  return out;
}

interface MlEntry {
  fail: Record<string, unknown>;
  users: Set<string>;
}

const MLFID_CACHE_MAX = 100;

export class Filter {
  readonly definition: FilterDefinition;
  private readonly dates: DateDetector;
  private readonly pref: Compiled | null;
  private readonly fail: Compiled[];
  private readonly ignore: Compiled[];
  private readonly maxlines: number;
  private buffer: string[] = [];
  private readonly mlfid = new Map<string, MlEntry>();
  private lastTime: number | null = null;

  constructor(def: FilterDefinition) {
    this.definition = def;
    this.dates = new DateDetector(def.datepattern);
    this.maxlines = def.maxlines;
    const ml = def.maxlines > 1;
    this.pref = def.prefregex ? compile(def.prefregex, ml, false, false) : null;
    const prefHasId = !!def.prefregex && FAILURE_ID_GROUPS.some((g) => resolveTags(def.prefregex!.text).includes(`(?P<${g}>`));
    this.fail = def.failregex.map((r) => compile(r, ml, true, prefHasId));
    this.ignore = def.ignoreregex.map((r) => compile(r, ml, false, false));
  }

  /** One line (without its newline). `time` overrides date detection (the journal knows it). */
  processLine(line: string, opts: { time?: number; now?: number } = {}): Verdict {
    let text = line;
    let time: number | null = opts.time ?? null;
    if (opts.time === undefined) {
      const d = this.dates.match(line, opts.now);
      if (d) {
        text = line.slice(0, d.start) + line.slice(d.end);
        time = d.time ?? opts.now ?? Date.now();
      } else time = this.lastTime;
    }
    if (time !== null) this.lastTime = time;
    return this.findFailure(text, time);
  }

  private findFailure(text: string, time: number | null): Verdict {
    let lines: string[];
    if (this.maxlines > 1) {
      this.buffer.push(text);
      if (this.buffer.length > this.maxlines) this.buffer.splice(0, this.buffer.length - this.maxlines);
      lines = this.buffer;
    } else lines = [text];
    let buf = this.maxlines > 1 ? `${lines.join("\n")}\n` : text;
    let pre: Record<string, string> = {};
    if (this.pref) {
      const m = search(this.pref, buf);
      if (!m) return { kind: "miss" };
      pre = groupsOf(m);
      const content = pre.content;
      delete pre.content;
      if (content) {
        buf = content;
        if (this.maxlines > 1) this.buffer = [content];
      }
    }
    for (let i = 0; i < this.fail.length; i++) {
      const c = this.fail[i]!;
      const m = search(c, buf);
      if (!m) continue;
      const ignoredBy = this.ignore.findIndex((ig) => search(ig, this.maxlines > 1 ? matchedText(buf, m) : buf));
      if (ignoredBy >= 0) {
        if (this.maxlines > 1) this.dropMatched(buf, m);
        return { kind: "ignored", regex: ignoredBy };
      }
      if (this.maxlines > 1) this.dropMatched(buf, m);
      let fail: Record<string, unknown> = { ...pre, ...groupsOf(m) };
      for (const k of Object.keys(fail)) {
        if (!k.startsWith("alt_")) continue;
        const alt = /^alt_(.*?)(?:_\d+)?$/.exec(k);
        const v = fail[k];
        if (alt && v && !fail[alt[1]!]) fail[alt[1]!] = v;
      }
      const mlfid = fail.mlfid as string | undefined;
      if (mlfid !== undefined) {
        fail = this.mergeFailure(mlfid, fail);
        if (fail.nofail) return { kind: "nofail" };
      }
      const ip = (fail.ip4 ?? fail.ip6) as string | undefined;
      const id = (ip ?? fail.dns ?? fail.fid) as string | undefined;
      if (id === undefined) return { kind: "nofail" }; // pending: the connection id is known, the address not yet
      const groups: Record<string, string> = {};
      for (const k in fail) if (typeof fail[k] === "string") groups[k] = fail[k] as string;
      return { kind: "failure", id: fail.fid && ip && fail.fid !== ip ? String(fail.fid) : id, address: ip ?? null, time, regex: i, groups };
    }
    return { kind: "miss" };
  }

  private dropMatched(buf: string, m: RegExpExecArray): void {
    const startLine = buf.slice(0, m.index).split("\n").length - 1;
    const endLine = buf.slice(0, m.index + Math.max(m[0].length - 1, 0)).split("\n").length - 1;
    this.buffer = this.buffer.filter((_, i) => i < startLine || i > endLine);
  }

  /** Fail2Ban's _mergeFailure: failures of one connection (mlfid) accumulate across lines. */
  private mergeFailure(mlfid: string, failIn: Record<string, unknown>): Record<string, unknown> {
    let fail = failIn;
    const cached = this.mlfid.get(mlfid);
    let nf = 0;
    if (fail.mlfgained) {
      nf |= 8 | 1;
      if (!fail.nofail) fail.nofail = fail.mlfgained;
    } else if (fail.nofail) nf |= 1;
    if (fail.mlfforget) nf |= 2;
    delete fail.mlfforget;
    let users: Set<string> | null = null;
    if (cached) {
      const g = cached.fail;
      if (typeof fail.user === "string") cached.users.add(fail.user);
      users = cached.users;
      if (g.nofail) nf |= 4;
      delete g.nofail;
      if (g.mlfgained) nf |= 4;
      delete g.mlfgained;
      if (nf & 8) delete g.mlfpending;
      for (const [k, v] of Object.entries(fail)) if (v !== undefined) g[k] = v;
      fail = g;
      if (nf & 2) this.mlfid.delete(mlfid);
    } else if (!(nf & 2)) {
      users = new Set(typeof fail.user === "string" ? [fail.user] : []);
      if (this.mlfid.size >= MLFID_CACHE_MAX) this.mlfid.delete(this.mlfid.keys().next().value!);
      this.mlfid.set(mlfid, { fail, users });
    }
    const pending = fail.mlfpending;
    delete fail.mlfpending;
    if (pending || (users && users.size > 1)) {
      delete fail.nofail;
      delete fail.mlfgained;
    }
    // the connection is known but not its address yet: remember a failure is pending
    if (!(fail.ip4 ?? fail.ip6 ?? fail.dns ?? fail.fid) && !fail.nofail) fail.mlfpending = 1;
    return fail;
  }
}

function matchedText(buf: string, m: RegExpExecArray): string {
  const s = buf.lastIndexOf("\n", m.index - 1) + 1;
  let e = buf.indexOf("\n", m.index + Math.max(m[0].length - 1, 0));
  if (e < 0) e = buf.length;
  return `${buf.slice(s, e)}\n`;
}
