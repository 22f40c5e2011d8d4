/**
 * A POSIX-shell-like parser, good enough for what attackers type (not a shell): lists joined by
 * `;` `&` newline `&&` `||`, pipelines `|`, redirections (`>`, `>>`, `<`, `2>`, `2>&1`, `&>`),
 * quotes ('…', "…", \x), `$VAR`, `${VAR}`, `$(…)` and backquotes. Words keep their parts
 * unexpanded; the interpreter expands them when it runs (so `export A=1; echo $A` works).
 * Linear in the input; the token count is bounded by the caller's limit.
 */
export type Part = { lit: string; quoted: boolean } | { var: string } | { sub: string };
export type Word = Part[];
export interface Redirect {
  fd: number;
  op: ">" | ">>" | "<" | ">&";
  target: Word;
}
export interface Command {
  words: Word[];
  redirects: Redirect[];
  /** `( list )` or `{ list; }`: run as one command (its output piped or redirected as a whole). */
  group?: Pipeline[];
}
export type Connector = ";" | "&&" | "||";
export interface Pipeline {
  commands: Command[];
  /** How the next pipeline is joined to this one. */
  next: Connector;
}

export class ParseError extends Error {}

const OPS = ["&&", "||", ";;", ">>", "2>&1", "&>", "2>>", "2>", "1>", ">&", "|", ";", "&", ">", "<", "\n", "(", ")"] as const;

/** The `$(…)` source starting after "$(" at i: returns the end index (at the closing paren). */
function matchParen(s: string, i: number): number {
  let depth = 1;
  let q: string | undefined;
  for (let j = i; j < s.length; j++) {
    const c = s[j]!;
    if (q) {
      if (c === "\\" && q === '"') j++;
      else if (c === q) q = undefined;
    } else if (c === "'" || c === '"') q = c;
    else if (c === "\\") j++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return j;
  }
  return -1;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function readDollar(s: string, i: number, parts: Part[]): number {
  // i is at "$"
  const n = s[i + 1];
  if (n === "(") {
    const end = matchParen(s, i + 2);
    if (end < 0) throw new ParseError("unexpected EOF while looking for matching `)'");
    parts.push({ sub: s.slice(i + 2, end) });
    return end + 1;
  }
  if (n === "{") {
    const end = s.indexOf("}", i + 2);
    if (end < 0) throw new ParseError("bad substitution");
    parts.push({ var: s.slice(i + 2, end).replace(/[:#%].*$/, "") });
    return end + 1;
  }
  if (n !== undefined && "?$#!0123456789@*".includes(n)) {
    parts.push({ var: n });
    return i + 2;
  }
  const m = NAME.exec(s.slice(i + 1, i + 65));
  if (!m) {
    parts.push({ lit: "$", quoted: false });
    return i + 1;
  }
  parts.push({ var: m[0] });
  return i + 1 + m[0].length;
}

type Token = { word: Word } | { op: (typeof OPS)[number] };

export function tokenize(s: string, maxTokens: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  const lit = (parts: Part[], text: string, quoted: boolean) => {
    const last = parts[parts.length - 1];
    if (last && "lit" in last && last.quoted === quoted) last.lit += text;
    else parts.push({ lit: text, quoted });
  };
  while (i < s.length) {
    if (out.length >= maxTokens) throw new ParseError("too many words");
    const c = s[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      const nl = s.indexOf("\n", i);
      i = nl < 0 ? s.length : nl;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i) && (o[0] !== "2" && o[0] !== "1" ? true : i === 0 || /\s/.test(s[i - 1]!)));
    if (op) {
      out.push({ op });
      i += op.length;
      continue;
    }
    const parts: Part[] = [];
    while (i < s.length) {
      const ch = s[i]!;
      if (" \t\r\n;&|<>()".includes(ch)) break;
      if (ch === "\\") {
        if (i + 1 < s.length && s[i + 1] !== "\n") lit(parts, s[i + 1]!, true);
        i += 2;
      } else if (ch === "'") {
        const end = s.indexOf("'", i + 1);
        if (end < 0) throw new ParseError("unexpected EOF while looking for matching `''");
        lit(parts, s.slice(i + 1, end), true);
        i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        let closed = false;
        while (j < s.length) {
          const d = s[j]!;
          if (d === '"') {
            closed = true;
            j++;
            break;
          }
          if (d === "\\" && j + 1 < s.length && '"\\$`'.includes(s[j + 1]!)) {
            lit(parts, s[j + 1]!, true);
            j += 2;
          } else if (d === "$") j = readDollar(s, j, parts);
          else if (d === "`") {
            const end = s.indexOf("`", j + 1);
            if (end < 0) throw new ParseError("unexpected EOF while looking for matching ``'");
            parts.push({ sub: s.slice(j + 1, end) });
            j = end + 1;
          } else {
            lit(parts, d, true);
            j++;
          }
        }
        if (!closed) throw new ParseError("unexpected EOF while looking for matching `\"'");
        if (parts.length === 0 || (j === i + 2)) lit(parts, "", true);
        i = j;
      } else if (ch === "$") i = readDollar(s, i, parts);
      else if (ch === "`") {
        const end = s.indexOf("`", i + 1);
        if (end < 0) throw new ParseError("unexpected EOF while looking for matching ``'");
        parts.push({ sub: s.slice(i + 1, end) });
        i = end + 1;
      } else {
        lit(parts, ch, false);
        i++;
      }
    }
    out.push({ word: parts });
  }
  return out;
}

/** The line as pipelines; throws ParseError with bash's message on bad syntax. */
export function parse(s: string, maxTokens: number): Pipeline[] {
  return parseTokens(tokenize(s, maxTokens), 0);
}

const isWord = (t: Token | undefined, text: string) => t !== undefined && "word" in t && t.word.length === 1 && "lit" in t.word[0]! && !t.word[0].quoted && t.word[0].lit === text;

/** Where the group opened at `k` closes: the matching ")" (or "}" word), or -1. */
function groupEnd(tokens: Token[], k: number, brace: boolean): number {
  let depth = 0;
  for (let j = k; j < tokens.length; j++) {
    const t = tokens[j]!;
    const open = brace ? isWord(t, "{") : "op" in t && t.op === "(";
    const close = brace ? isWord(t, "}") : "op" in t && t.op === ")";
    if (open) depth++;
    else if (close && --depth === 0) return j;
  }
  return -1;
}

function parseTokens(tokens: Token[], depth: number): Pipeline[] {
  if (depth > 16) throw new ParseError("nesting too deep");
  const list: Pipeline[] = [];
  let pipe: Command[] = [];
  let cmd: Command = { words: [], redirects: [] };
  const endCommand = (op: string) => {
    if (cmd.words.length === 0 && cmd.redirects.length === 0 && !cmd.group) {
      if (pipe.length === 0 && (op === ";" || op === "\n" || op === "&")) return false;
      throw new ParseError(`syntax error near unexpected token \`${op === "\n" ? "newline" : op}'`);
    }
    pipe.push(cmd);
    cmd = { words: [], redirects: [] };
    return true;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const brace = isWord(t, "{") && cmd.words.length === 0;
    if (brace || ("op" in t && t.op === "(")) {
      if (cmd.words.length || cmd.group) throw new ParseError(`syntax error near unexpected token \`${brace ? "{" : "("}'`);
      const end = groupEnd(tokens, k, brace);
      if (end < 0) throw new ParseError("syntax error: unexpected end of file");
      cmd.group = parseTokens(tokens.slice(k + 1, end), depth + 1);
      k = end;
      continue;
    }
    if ("word" in t) {
      cmd.words.push(t.word);
      continue;
    }
    switch (t.op) {
      case ")":
        throw new ParseError("syntax error near unexpected token `)'");
      case "|":
        endCommand("|");
        break;
      case ";":
      case ";;":
      case "\n":
      case "&":
      case "&&":
      case "||": {
        if (!endCommand(t.op)) break;
        list.push({ commands: pipe, next: t.op === "&&" || t.op === "||" ? t.op : ";" });
        pipe = [];
        break;
      }
      case "2>&1":
        cmd.redirects.push({ fd: 2, op: ">&", target: [{ lit: "1", quoted: false }] });
        break;
      default: {
        const next = tokens[k + 1];
        if (!next || !("word" in next)) throw new ParseError(`syntax error near unexpected token \`${next && "op" in next ? next.op : "newline"}'`);
        k++;
        const op = t.op === ">>" || t.op === "2>>" ? ">>" : t.op === "<" ? "<" : ">";
        const fd = t.op.startsWith("2") ? 2 : t.op === "<" ? 0 : 1;
        cmd.redirects.push({ fd, op, target: next.word });
        if (t.op === "&>") cmd.redirects.push({ fd: 2, op: ">&", target: [{ lit: "1", quoted: false }] });
      }
    }
  }
  if (cmd.words.length || cmd.redirects.length || cmd.group) pipe.push(cmd);
  else if (pipe.length) throw new ParseError("syntax error: unexpected end of file");
  if (pipe.length) list.push({ commands: pipe, next: ";" });
  if (list.length && list[list.length - 1]!.next !== ";") throw new ParseError("syntax error: unexpected end of file");
  return list;
}
