import { Capture } from "./capture.ts";
import { COMMANDS } from "./commands/index.ts";
import { FS_MESSAGE, FileTree, normalize, type FsError } from "./file-tree.ts";
import { ParseError, parse, type Command, type Pipeline, type Word } from "./parser.ts";
import type { Persona } from "./persona.ts";
import { IfStack, keywordOf } from "./control-flow.ts";
import type { ShellLimits } from "./session-limits.ts";
import { Sink } from "./sink.ts";

/** What a command gets: its words, its input, where to write, and the session's state. */
export interface Ctx {
  argv: string[];
  stdin: string;
  out(s: string): void;
  err(s: string): void;
  sh: FakeShell;
}
export type CommandFn = (c: Ctx) => number;

/**
 * A shell that never runs anything: every command is answered from the persona and the session's
 * in-memory file tree. Bounded per line (steps, output, nesting) and per session (lines, tree).
 */
export class FakeShell {
  readonly env = new Map<string, string>();
  readonly history: string[] = [];
  readonly capture = new Capture();
  cwd: string;
  status = 0;
  exited = false;
  lines = 0;
  private steps = 0;
  private ifs = new IfStack();

  constructor(
    readonly persona: Persona,
    readonly fs: FileTree,
    readonly user: string,
    readonly limits: ShellLimits,
    readonly startedAt = Date.now(),
  ) {
    this.home = user === "root" ? "/root" : `/home/${user}`;
    if (!fs.get(this.home)) fs.mkdir(this.home, true);
    this.cwd = this.home;
    for (const [k, v] of Object.entries({ HOME: this.home, USER: user, LOGNAME: user, SHELL: "/bin/bash", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", PWD: this.home, LANG: "C.UTF-8", HOSTNAME: persona.hostname, TERM: "xterm-256color" })) this.env.set(k, v);
  }

  readonly home: string;

  /** Sets a variable within the session's bounds (256 names, 4 KiB a value). */
  setVar(name: string, value: string): void {
    if (!this.env.has(name) && this.env.size >= 256) return;
    this.env.set(name.slice(0, 64), value.slice(0, 4096));
  }

  get uid(): number {
    if (this.user === "root") return 0;
    return this.persona.users.find((u) => u.name === this.user)?.uid ?? 1000 + this.persona.users.length;
  }

  prompt(): string {
    const dir = this.cwd === this.home ? "~" : this.cwd.startsWith(`${this.home}/`) ? `~${this.cwd.slice(this.home.length)}` : this.cwd;
    return `${this.user}@${this.persona.hostname}:${dir}${this.uid === 0 ? "#" : "$"} `;
  }

  path(p: string): string {
    return normalize(this.cwd, p, this.home);
  }

  fsError(cmd: string, target: string, e: FsError): string {
    return `${cmd}: ${target}: ${FS_MESSAGE[e]}\n`;
  }

  /** Runs one line as typed (or an exec request's whole command); returns what the terminal shows. */
  run(line: string): string {
    if (this.exited || this.lines >= this.limits.maxLines) {
      this.exited = true;
      return "";
    }
    this.lines++;
    const text = line.length > this.limits.maxLine ? line.slice(0, this.limits.maxLine) : line;
    if (text.trim()) this.history.push(text.length > 512 ? text.slice(0, 512) : text);
    if (this.history.length > 500) this.history.shift();
    this.capture.scan(text);
    this.steps = 0;
    this.ifs = new IfStack();
    const sink = new Sink(this.limits.maxOutputPerLine);
    this.exec(text, 0, sink, sink);
    return sink.text;
  }

  /** Runs source at a nesting depth, writing to the sinks (used by `$(…)`, `sh -c`, `eval`). */
  exec(src: string, depth: number, out: Sink, err: Sink): number {
    if (depth > this.limits.maxDepth) return (this.status = 1);
    let list;
    try {
      list = parse(src, this.limits.maxTokens);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      err.add(`-bash: ${e.message}\n`);
      return (this.status = 2);
    }
    return this.runList(list, depth, out, err);
  }

  private runList(list: Pipeline[], depth: number, out: Sink, err: Sink): number {
    let skip = false;
    for (const p of list) {
      if (this.exited || this.steps >= this.limits.maxStepsPerLine) break;
      const first = p.commands[0]!;
      const head = keywordOf(first);
      if (head) {
        this.ifs.control(head, this.status);
        first.words = first.words.slice(1);
        if (first.words.length === 0 && first.redirects.length === 0) continue;
      }
      if (!this.ifs.active()) continue;
      if (skip) {
        // `a && b || c`: a skipped pipeline passes the last status on to the next connector.
        skip = (p.next === "&&" && this.status !== 0) || (p.next === "||" && this.status === 0);
        continue;
      }
      let input = "";
      for (let i = 0; i < p.commands.length; i++) {
        const stage = new Sink(this.limits.maxOutputPerLine);
        const last = i === p.commands.length - 1;
        this.status = this.command(p.commands[i]!, input, last ? out : stage, err, depth);
        input = stage.text;
      }
      skip = (p.next === "&&" && this.status !== 0) || (p.next === "||" && this.status === 0);
    }
    return this.status;
  }

  /** A word's text: variables and substitutions expanded, unquoted results split on blanks, simple globs. */
  expand(w: Word, depth: number): string[] {
    const fields: string[] = [""];
    let quotedAny = false;
    let glob = false;
    for (const part of w) {
      if ("lit" in part) {
        fields[fields.length - 1] += part.lit;
        quotedAny ||= part.quoted;
        if (!part.quoted && /[*?]/.test(part.lit)) glob = true;
        continue;
      }
      const val = "var" in part ? this.variable(part.var) : this.substitute(part.sub, depth);
      // `$A$A$A…` cannot grow a word past one line's output cap.
      if (fields[fields.length - 1]!.length + val.length > this.limits.maxOutputPerLine) break;
      const pieces = val.split(/[ \t\n]+/);
      fields[fields.length - 1] += pieces[0]!;
      for (const piece of pieces.slice(1)) fields.push(piece);
    }
    const out = fields.filter((f, i) => f !== "" || (quotedAny && i === 0));
    if (glob && out.length === 1) return this.globbed(out[0]!);
    return out;
  }

  private globbed(pattern: string): string[] {
    const abs = this.path(pattern);
    const dir = abs.slice(0, abs.lastIndexOf("/")) || "/";
    const base = abs.slice(abs.lastIndexOf("/") + 1);
    const node = this.fs.get(dir);
    if (!node || node.kind !== "dir" || /[*?]/.test(dir)) return [pattern];
    const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`);
    const names = [...node.children.keys()].filter((n) => re.test(n) && !n.startsWith(".")).sort().slice(0, 256);
    if (!names.length) return [pattern];
    const prefix = pattern.includes("/") ? pattern.slice(0, pattern.lastIndexOf("/") + 1) : "";
    return names.map((n) => prefix + n);
  }

  variable(name: string): string {
    switch (name) {
      case "?":
        return String(this.status);
      case "$":
        return String(this.persona.sshdPid + 1200);
      case "0":
        return "-bash";
      case "#":
        return "0";
      default:
        return this.env.get(name) ?? "";
    }
  }

  private substitute(src: string, depth: number): string {
    const out = new Sink(this.limits.maxOutputPerLine);
    const err = new Sink(4096);
    this.exec(src, depth + 1, out, err);
    return out.text.replace(/\n+$/, "");
  }

  private command(c: Command, stdin: string, out: Sink, err: Sink, depth: number): number {
    if (++this.steps > this.limits.maxStepsPerLine) return 1;
    const argv: string[] = [];
    for (const w of c.words) {
      argv.push(...this.expand(w, depth));
      if (argv.length > this.limits.maxTokens) break;
    }
    // VAR=value prefixes (or alone: set in the shell).
    while (argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]!)) {
      const a = argv.shift()!;
      const eq = a.indexOf("=");
      if (argv.length === 0) this.setVar(a.slice(0, eq), a.slice(eq + 1));
    }
    let outBuf = "";
    let errBuf = "";
    let toOut = (s: string) => void (outBuf += s.length + outBuf.length > this.limits.maxOutputPerLine ? s.slice(0, Math.max(0, this.limits.maxOutputPerLine - outBuf.length)) : s);
    let toErr = (s: string) => void (errBuf += errBuf.length > 65_536 ? "" : s);
    const files: { fd: number; path: string; append: boolean }[] = [];
    for (const r of c.redirects) {
      const target = this.expand(r.target, depth)[0] ?? "";
      if (r.op === ">&") {
        if (r.fd === 2 && target === "1") toErr = (s) => toOut(s);
        continue;
      }
      if (r.op === "<") {
        const data = this.fs.read(this.path(target));
        if (typeof data === "string" && !/^(ENOENT|EISDIR)$/.test(data)) stdin = data;
        else {
          err.add(`-bash: ${target}: ${FS_MESSAGE[data as FsError] ?? "No such file or directory"}\n`);
          return 1;
        }
        continue;
      }
      this.capture.scan(target);
      files.push({ fd: r.fd, path: target, append: r.op === ">>" });
    }
    let status = 0;
    if (c.group) {
      if (depth >= this.limits.maxDepth) return 1;
      const gOut = new Sink(this.limits.maxOutputPerLine);
      const gErr = new Sink(4096);
      const outer = this.ifs;
      this.ifs = new IfStack();
      status = this.runList(c.group, depth + 1, gOut, gErr);
      this.ifs = outer;
      toOut(gOut.text);
      toErr(gErr.text);
    } else if (argv.length) {
      const name = argv[0]!;
      const fn = this.lookup(name);
      const ctx: Ctx = { argv, stdin, out: (s) => toOut(s), err: (s) => toErr(s), sh: this };
      status = fn ? fn(ctx) : this.notFound(name, ctx);
    }
    const dropper = argv[0] === "printf" || (argv[0] === "echo" && argv.slice(1).some((a) => /^-[neE]*e[neE]*$/.test(a)));
    for (const f of files) {
      const data = f.fd === 2 ? errBuf : outBuf;
      if (f.fd === 2) errBuf = "";
      else outBuf = "";
      if (f.path.startsWith("/dev/tcp/") || f.path.startsWith("/dev/udp/")) continue;
      const abs = this.path(f.path);
      const e = this.fs.write(abs, data, f.append, dropper && f.fd === 1 ? "dropper" : "redirect");
      if (e) {
        err.add(`-bash: ${f.path}: ${FS_MESSAGE[e]}\n`);
        status = 1;
      } else this.capture.wrote(abs, data);
    }
    out.add(outBuf);
    err.add(errBuf);
    return status;
  }

  lookup(name: string): CommandFn | undefined {
    const base = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
    if (name.includes("/")) {
      const n = this.fs.get(this.path(name));
      if (!n) return undefined;
      // The attacker's own file: "ran" without output when executable (nothing is ever executed).
      if (n.kind === "file" && n.written) return (c) => (n.mode & 0o111 ? 0 : (c.err(`-bash: ${name}: Permission denied\n`), 126));
    }
    return COMMANDS.get(base);
  }

  private notFound(name: string, c: Ctx): number {
    if (name.includes("/")) {
      c.err(`-bash: ${name}: No such file or directory\n`);
      return 127;
    }
    c.err(`-bash: ${name}: command not found\n`);
    return 127;
  }

  /** Runs a script's text (sh -c, eval, busybox sh) inside the current line's bounds. */
  sub(src: string, c: Ctx): number {
    const out = new Sink(this.limits.maxOutputPerLine);
    const err = new Sink(4096);
    const st = this.exec(src, 1, out, err);
    c.out(out.text);
    c.err(err.text);
    return st;
  }
}
