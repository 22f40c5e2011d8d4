import { F2bFilterError } from "./errors.ts";

/**
 * Python `re` syntax → JavaScript RegExp source. Fail2Ban filters are written for Python; the
 * differences that occur in real filters are translated, the rest is refused with the file and
 * option named (`where`):
 *   (?P<n>…) → (?<n>…)            (?P=n) → \k<n>           (?#…) dropped
 *   \Z → (?![\s\S])               \A → (?<![\s\S])          {,n} → {0,n}
 *   (?i) at the start → flag i    ((?i)…) → (?i:…) (Fail2Ban's R_GLOB2LOCFLAGS)
 *   (?i) elsewhere → (?i: … up to the end of the enclosing group (JS has no mid-pattern global flags)
 *   (?>…) atomic → (?=(?<__aN>…))\k<__aN>   (the lookahead-capture idiom is atomic in JS)
 *   (?(name)yes|no) conditionals → one regex per set/unset combination of the named groups
 *   (see expandConditionals); possessive quantifiers (a*+) and verbose mode are refused.
 */

interface Group {
  open: number;
  close: number;
  /** positions of `|` directly inside this group. */
  bars: number[];
}

/** Paren structure of a Python pattern, skipping escapes and character classes. */
function groups(s: string): { list: Group[]; topBars: number[] } {
  const list: Group[] = [];
  const stack: Group[] = [];
  const topBars: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "[") {
      i = classEnd(s, i);
      continue;
    }
    if (c === "(") {
      const g = { open: i, close: -1, bars: [] };
      stack.push(g);
      list.push(g);
    } else if (c === ")") {
      const g = stack.pop();
      if (g) g.close = i;
    } else if (c === "|") {
      const top = stack.at(-1);
      if (top) top.bars.push(i);
      else topBars.push(i);
    }
  }
  return { list, topBars };
}

/** Index of the `]` closing the class that opens at `i` (Python: `]` first is literal). */
function classEnd(s: string, i: number): number {
  let j = i + 1;
  if (s[j] === "^") j++;
  if (s[j] === "]") j++;
  for (; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === "]") return j;
  }
  return s.length;
}

const MAX_CONDITIONAL_NAMES = 4;

/**
 * Python's `(?(name)yes|no)` has no JS equivalent. For each combination of "group took part" /
 * "group did not" we build one pattern: a group optional by `?` is made mandatory or removed, a
 * group that is one branch of an alternation keeps only its branch or loses it, and each
 * conditional becomes its yes or no part. Patterns come "set" first, the order Python tries.
 */
export function expandConditionals(src: string, where: string): string[] {
  const names = [...new Set([...src.matchAll(/\(\?\((\w+)\)/g)].map((m) => m[1] ?? ""))];
  if (names.length === 0) return [src];
  if (names.some((n) => /^\d+$/.test(n))) {
    throw new F2bFilterError("F2B_REGEX_UNSUPPORTED", `${where}: conditional on a numbered group is not supported`);
  }
  if (names.length > MAX_CONDITIONAL_NAMES) {
    throw new F2bFilterError("F2B_REGEX_UNSUPPORTED", `${where}: more than ${MAX_CONDITIONAL_NAMES} conditional groups`);
  }
  const out: string[] = [];
  for (let mask = 0; mask < 1 << names.length; mask++) {
    let s = src;
    let ok = true;
    const set = names.map((_, i) => (mask & (1 << (names.length - 1 - i))) === 0);
    for (let k = 0; k < names.length && ok; k++) {
      const r = forceGroup(s, names[k] ?? "", set[k] ?? true);
      if (r === null) ok = false;
      else s = r;
    }
    if (!ok) continue;
    s = replaceConditionals(s, names, set);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

function forceGroup(s: string, name: string, present: boolean): string | null {
  const at = s.indexOf(`(?P<${name}>`);
  if (at < 0) return present ? null : s;
  const { list, topBars } = groups(s);
  const g = list.find((x) => x.open === at);
  if (!g || g.close < 0) return null;
  const q = s[g.close + 1];
  if (q === "?") {
    const lazy = s[g.close + 2] === "?";
    const after = g.close + (lazy ? 3 : 2);
    return present ? s.slice(0, g.close + 1) + s.slice(after) : s.slice(0, g.open) + s.slice(after);
  }
  // the innermost group around g, or the whole pattern
  const parent = list.filter((x) => x.open < g.open && x.close > g.close).sort((a, b) => b.open - a.open)[0];
  const bars = parent ? parent.bars : topBars;
  if (bars.length === 0) return present ? s : null;
  const bodyStart = parent && s.startsWith("(?", parent.open) ? bodyOpen(s, parent.open) : parent ? parent.open + 1 : 0;
  const end = parent ? parent.close : s.length;
  const cuts = [bodyStart - 1, ...bars, end];
  const branches: { from: number; to: number }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) branches.push({ from: (cuts[i] ?? 0) + 1, to: cuts[i + 1] ?? end });
  const mine = branches.findIndex((b) => b.from <= g.open && g.close < b.to);
  if (mine < 0) return null;
  const keep = present
    ? [branches[mine]]
    : branches.filter((_, i) => i !== mine);
  const body = keep.map((b) => s.slice(b!.from, b!.to)).join("|");
  return s.slice(0, bodyStart) + body + s.slice(end);
}

/** Where the body of a `(?…` group starts: after `(?:`, `(?P<n>`, `(?=`, `(?i:` … */
function bodyOpen(s: string, open: number): number {
  const rest = s.slice(open);
  const m = /^\(\?(?:P<\w+>|<\w+>|[:=!>]|<[=!]|[a-zA-Z-]+:)/.exec(rest);
  return open + (m ? m[0].length : 2);
}

function replaceConditionals(s: string, names: string[], set: boolean[]): string {
  for (;;) {
    const m = /\(\?\((\w+)\)/.exec(s);
    if (!m) return s;
    const { list } = groups(s);
    const g = list.find((x) => x.open === m.index);
    if (!g || g.close < 0) return s;
    const inner = list.find((x) => x.open === m.index + 2);
    const bodyStart = (inner?.close ?? m.index + m[0].length - 1) + 1;
    const bar = g.bars.find((b) => b > bodyStart);
    const yes = s.slice(bodyStart, bar ?? g.close);
    const no = bar === undefined ? "" : s.slice(bar + 1, g.close);
    const k = names.indexOf(m[1] ?? "");
    s = `${s.slice(0, g.open)}(?:${(set[k] ?? false) ? yes : no})${s.slice(g.close + 1)}`;
  }
}

export interface JsRegex {
  source: string;
  flags: string;
}

/** Translates one Python pattern (without conditionals) to a JS source and flags. */
export function translate(src: string, where: string): JsRegex {
  let flags = "";
  let out = "";
  let atom = 0;
  // per open group: what to append at its close
  const closers: string[] = [];
  let lastQuant = false;
  const refuse = (what: string): never => {
    throw new F2bFilterError("F2B_REGEX_UNSUPPORTED", `${where}: ${what} is not supported in ${JSON.stringify(src.slice(0, 120))}`);
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? "";
    if (c === "\\") {
      const n = src[i + 1] ?? "";
      if (n === "Z") out += "(?![\\s\\S])";
      else if (n === "A") out += "(?<![\\s\\S])";
      else out += c + n;
      i++;
      lastQuant = false;
      continue;
    }
    if (c === "[") {
      const e = classEnd(src, i);
      let cls = src.slice(i, e + 1);
      // a literal `[` inside a class is fine in Python and in JS without the v flag;
      // a leading `]` must be escaped for JS.
      cls = cls.replace(/^\[(\^?)\]/, "[$1\\]");
      out += cls;
      i = e;
      lastQuant = false;
      continue;
    }
    if (c === "(") {
      lastQuant = false;
      const rest = src.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\(\?P<(\w+)>/.exec(rest))) {
        out += `(?<${m[1]}>`;
        closers.push(")");
        i += m[0].length - 1;
      } else if ((m = /^\(\?P=(\w+)\)/.exec(rest))) {
        out += `\\k<${m[1]}>`;
        i += m[0].length - 1;
      } else if ((m = /^\(\?#[^)]*\)/.exec(rest))) {
        i += m[0].length - 1;
      } else if (rest.startsWith("(?>")) {
        const name = `__a${atom++}`;
        out += `(?=(?<${name}>`;
        closers.push(`))\\k<${name}>`);
        i += 2;
      } else if (rest.startsWith("(?(")) {
        refuse("a conditional group (?(…)…)");
      } else if ((m = /^\(\?([aiLmsux]+)\)/.exec(rest))) {
        const fl = m[1] ?? "";
        if (fl.includes("x")) refuse("verbose mode (?x)");
        const js = [...new Set(fl.replace(/[aLu]/g, "").split(""))].join("");
        if (out === "" || /^\^?$/.test(out)) {
          for (const f of js) if (!flags.includes(f)) flags += f;
        } else if (js) {
          // applies to the rest of the enclosing group
          out += `(?${js}:`;
          if (closers.length > 0) closers[closers.length - 1] = `)${closers[closers.length - 1]}`;
          else closers.unshift("\u0000end");
        }
        i += m[0].length - 1;
      } else if ((m = /^\(\?([aiLmsux]*)(?:-([imsx]+))?:/.exec(rest))) {
        const on = (m[1] ?? "").replace(/[aLu]/g, "");
        const off = m[2] ?? "";
        if ((on + off).includes("x")) refuse("verbose mode (?x:…)");
        out += on || off ? `(?${on}${off ? `-${off}` : ""}:` : "(?:";
        closers.push(")");
        i += m[0].length - 1;
      } else if ((m = /^\(\?(?:[:=!]|<[=!])/.exec(rest))) {
        out += m[0];
        closers.push(")");
        i += m[0].length - 1;
      } else if (rest.startsWith("(?")) {
        refuse(`the group syntax ${rest.slice(0, 6)}`);
      } else {
        out += "(";
        closers.push(")");
      }
      continue;
    }
    if (c === ")") {
      out += closers.pop() ?? ")";
      lastQuant = false; // a group may take a quantifier; only a quantifier's own `+` is possessive
      continue;
    }
    if (c === "{") {
      const m = /^\{(\d*),?(\d*)\}/.exec(src.slice(i));
      if (m) {
        const t = m[0].startsWith("{,") ? `{0${m[0].slice(1)}` : m[0];
        out += t;
        i += m[0].length - 1;
        if (src[i + 1] === "+") refuse("a possessive quantifier");
        lastQuant = true;
        continue;
      }
      out += "\\{";
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      if (lastQuant && c === "+") refuse("a possessive quantifier");
      out += c;
      lastQuant = true;
      if (src[i + 1] === "?") {
        out += "?";
        i++;
        lastQuant = false;
      }
      continue;
    }
    if (c === "}") {
      out += "\\}";
      lastQuant = false;
      continue;
    }
    lastQuant = false;
    out += c;
  }
  if (closers[0] === "\u0000end") out += ")";
  return { source: out, flags };
}
