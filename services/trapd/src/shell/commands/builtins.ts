import type { CommandFn, Ctx } from "../shell.ts";
import { BINARIES } from "../base-tree.ts";

/** echo's and printf's backslash escapes (\n, \t, \xHH, \0NNN, \NNN): how droppers write binaries. */
export function unescape(s: string, printf = false): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", "\\": "\\", e: "\x1b" };
    if (n in simple) out += simple[n];
    else if (n === "c" && !printf) return { text: out, stop: true };
    else if (n === "x") {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1, i + 3));
      if (m) {
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
      } else out += "\\x";
    } else if (/[0-7]/.test(n)) {
      // echo -e: \0NNN; printf: \NNN
      const digits = /^[0-7]{1,3}/.exec(s.slice(n === "0" && !printf ? i + 1 : i, i + 4))![0];
      out += String.fromCharCode(parseInt(digits || "0", 8) & 0xff);
      i += (n === "0" && !printf ? 1 : 0) + digits.length - 1;
    } else out += `\\${n}`;
  }
  return { text: out, stop: false };
}

const echo: CommandFn = (c) => {
  let args = c.argv.slice(1);
  let newline = true;
  let esc = false;
  while (args.length && /^-[neE]+$/.test(args[0]!)) {
    const f = args.shift()!;
    if (f.includes("n")) newline = false;
    if (f.includes("e")) esc = true;
    if (f.includes("E")) esc = false;
  }
  let text = args.join(" ");
  if (esc) {
    const u = unescape(text);
    text = u.text;
    if (u.stop) newline = false;
  }
  c.out(newline ? `${text}\n` : text);
  return 0;
};

const printf: CommandFn = (c) => {
  const [fmt, ...args] = c.argv.slice(1);
  if (fmt === undefined) {
    c.err("printf: usage: printf [-v var] format [arguments]\n");
    return 2;
  }
  let k = 0;
  const once = () =>
    fmt.replace(/%(-?\d*)([sdxc%])/g, (_m, w: string, t: string) => {
      if (t === "%") return "%";
      const a = args[k++] ?? "";
      const v = t === "d" ? String(parseInt(a, 10) || 0) : t === "x" ? (parseInt(a, 10) || 0).toString(16) : t === "c" ? a.slice(0, 1) : a;
      const width = Math.min(256, Math.abs(parseInt(w || "0", 10)));
      return w.startsWith("-") ? v.padEnd(width) : v.padStart(width);
    });
  let text = once();
  for (let n = 0; k < args.length && n < 64; n++) text += once();
  c.out(unescape(text, true).text);
  return 0;
};

const cd: CommandFn = (c) => {
  const target = c.sh.path(c.argv[1] === "-" ? c.sh.env.get("OLDPWD") ?? c.sh.cwd : c.argv[1] ?? c.sh.home);
  const n = c.sh.fs.get(target);
  if (!n) return c.err(`-bash: cd: ${c.argv[1]}: No such file or directory\n`), 1;
  if (n.kind !== "dir") return c.err(`-bash: cd: ${c.argv[1]}: Not a directory\n`), 1;
  c.sh.env.set("OLDPWD", c.sh.cwd);
  c.sh.cwd = target;
  c.sh.env.set("PWD", target);
  return 0;
};

const exportCmd: CommandFn = (c) => {
  for (const a of c.argv.slice(1)) {
    const eq = a.indexOf("=");
    if (eq > 0) c.sh.setVar(a.slice(0, eq), a.slice(eq + 1));
  }
  if (c.argv.length === 1) for (const [k, v] of c.sh.env) c.out(`declare -x ${k}="${v}"\n`);
  return 0;
};

function test(c: Ctx, args: string[]): number {
  const a = args[0] === "!" ? args.slice(1) : args;
  const neg = a !== args;
  let r = false;
  if (a.length === 2 && /^-[efdrwxszn]$/.test(a[0]!)) {
    const n = c.sh.fs.get(c.sh.path(a[1]!));
    switch (a[0]) {
      case "-z":
        r = a[1] === "";
        break;
      case "-n":
        r = a[1] !== "";
        break;
      case "-d":
        r = n?.kind === "dir";
        break;
      case "-f":
        r = n?.kind === "file";
        break;
      case "-s":
        r = n?.kind === "file" && (typeof n.data === "function" || n.data.length > 0);
        break;
      default:
        r = Boolean(n);
    }
  } else if (a.length === 3) {
    const [x, op, y] = a as [string, string, string];
    const nx = Number(x), ny = Number(y);
    r = op === "=" || op === "==" ? x === y : op === "!=" ? x !== y : op === "-eq" ? nx === ny : op === "-ne" ? nx !== ny : op === "-gt" ? nx > ny : op === "-lt" ? nx < ny : op === "-ge" ? nx >= ny : op === "-le" ? nx <= ny : false;
  } else if (a.length === 1) r = a[0] !== "";
  return r !== neg ? 0 : 1;
}

const which: CommandFn = (c) => {
  let st = 0;
  for (const a of c.argv.slice(1)) {
    if (a.startsWith("-")) continue;
    if (BINARIES.includes(a)) c.out(`/usr/bin/${a}\n`);
    else st = 1;
  }
  return st;
};

export const BUILTINS: Record<string, CommandFn> = {
  echo,
  printf,
  cd,
  export: exportCmd,
  pwd: (c) => (c.out(`${c.sh.cwd}\n`), 0),
  true: () => 0,
  false: () => 1,
  ":": () => 0,
  exit: (c) => ((c.sh.exited = true), 0),
  logout: (c) => ((c.sh.exited = true), 0),
  unset: (c) => (c.argv.slice(1).forEach((a) => c.sh.env.delete(a)), 0),
  history: (c) => (c.sh.history.forEach((h, i) => c.out(`${String(i + 1).padStart(5)}  ${h}\n`)), 0),
  test: (c) => test(c, c.argv.slice(1)),
  "[": (c) => (c.argv[c.argv.length - 1] !== "]" ? (c.err("-bash: [: missing `]'\n"), 2) : test(c, c.argv.slice(1, -1))),
  which,
  type: (c) => (c.argv.slice(1).forEach((a) => c.out(BINARIES.includes(a) ? `${a} is /usr/bin/${a}\n` : `-bash: type: ${a}: not found\n`)), 0),
  command: (c) => (c.argv[1] === "-v" ? which({ ...c, argv: ["which", ...c.argv.slice(2)] }) : c.sh.sub(c.argv.slice(1).map(quote).join(" "), c)),
  alias: () => 0,
  set: () => 0,
  ulimit: (c) => (c.argv.length === 1 || c.argv.includes("-a") ? c.out("unlimited\n") : undefined, 0),
  clear: (c) => (c.out("\x1b[H\x1b[2J"), 0),
  sleep: () => 0,
  eval: (c) => c.sh.sub(c.argv.slice(1).join(" "), c),
  env: (c) => (c.argv.length > 1 ? c.sh.sub(c.argv.slice(1).filter((a) => !a.includes("=")).map(quote).join(" "), c) : ([...c.sh.env].forEach(([k, v]) => c.out(`${k}=${v}\n`)), 0)),
  nohup: (c) => c.sh.sub(c.argv.slice(1).map(quote).join(" "), c),
  source: () => 0,
  ".": () => 0,
};

export function quote(a: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
}
