import type { Node } from "../file-tree.ts";
import type { CommandFn, Ctx } from "../shell.ts";

const args = (c: Ctx) => c.argv.slice(1).filter((a) => !a.startsWith("-") || a === "-");
const opts = (c: Ctx) => c.argv.slice(1).filter((a) => a.startsWith("-") && a !== "-").join("");

function modeString(n: Node): string {
  const bits = "rwxrwxrwx";
  let s = n.kind === "dir" ? "d" : "-";
  for (let i = 0; i < 9; i++) s += n.mode & (1 << (8 - i)) ? bits[i] : "-";
  if (n.mode & 0o1000) s = `${s.slice(0, 9)}${n.mode & 1 ? "t" : "T"}`;
  return s;
}

const size = (n: Node) => (n.kind === "dir" ? 4096 : typeof n.data === "function" ? 0 : n.data.length);

function longLine(c: Ctx, name: string, n: Node): string {
  const t = new Date(n.mtime || c.sh.persona.bootAt);
  const date = `${t.toDateString().slice(4, 10)} ${t.toISOString().slice(11, 16)}`;
  return `${modeString(n)} ${n.kind === "dir" ? 2 : 1} ${n.owner.padEnd(4)} ${n.owner.padEnd(4)} ${String(size(n)).padStart(5)} ${date} ${name}\n`;
}

const ls: CommandFn = (c) => {
  const o = opts(c);
  const all = o.includes("a");
  const long = o.includes("l");
  const targets = args(c);
  let st = 0;
  for (const t of targets.length ? targets : ["."]) {
    const n = c.sh.fs.get(c.sh.path(t));
    if (!n) {
      c.err(`ls: cannot access '${t}': No such file or directory\n`);
      st = 2;
      continue;
    }
    if (targets.length > 1) c.out(`${t}:\n`);
    if (n.kind === "file") {
      c.out(long ? longLine(c, t, n) : `${t}\n`);
      continue;
    }
    const names = [...n.children.keys()].filter((k) => all || !k.startsWith(".")).sort();
    if (long) {
      c.out(`total ${names.length * 4}\n`);
      if (all) c.out(longLine(c, ".", n) + longLine(c, "..", n));
      for (const k of names) c.out(longLine(c, k, n.children.get(k)!));
    } else if (names.length) c.out(`${(all ? [".", "..", ...names] : names).join("  ")}\n`);
  }
  return st;
};

const cat: CommandFn = (c) => {
  const files = args(c);
  if (!files.length) return c.out(c.stdin), 0;
  let st = 0;
  for (const f of files) {
    if (f === "-") {
      c.out(c.stdin);
      continue;
    }
    const data = c.sh.fs.read(c.sh.path(f));
    if (data === "ENOENT" || data === "EISDIR") {
      c.err(`cat: ${f}: ${data === "EISDIR" ? "Is a directory" : "No such file or directory"}\n`);
      st = 1;
    } else c.out(data);
  }
  return st;
};

const mkdir: CommandFn = (c) => {
  let st = 0;
  for (const d of args(c)) {
    const e = c.sh.fs.mkdir(c.sh.path(d), opts(c).includes("p"));
    if (e) {
      c.err(`mkdir: cannot create directory '${d}': ${e === "EEXIST" ? "File exists" : e === "ENOENT" ? "No such file or directory" : "Permission denied"}\n`);
      st = 1;
    }
  }
  return st;
};

const rm: CommandFn = (c) => {
  const o = opts(c);
  let st = 0;
  for (const f of args(c)) {
    const p = c.sh.path(f);
    if (p === "/" && !c.argv.includes("--no-preserve-root")) {
      c.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
      st = 1;
      continue;
    }
    const e = c.sh.fs.remove(p, /r|R/.test(o));
    // A missing file is an error unless -f (cowrie PR 938: silence there gives the trap away).
    if (e && !(e === "ENOENT" && o.includes("f"))) {
      c.err(e === "EISDIR" ? `rm: cannot remove '${f}': Is a directory\n` : `rm: cannot remove '${f}': ${e === "ENOENT" ? "No such file or directory" : "Permission denied"}\n`);
      st = 1;
    }
  }
  return st;
};

function parseMode(spec: string, old: number): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = old;
  for (const clause of spec.split(",")) {
    const m = /^([ugoa]*)([+=-])([rwxXst]*)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] || "a";
    let bits = 0;
    for (const p of m[3]!) {
      const v = p === "r" ? 4 : p === "w" ? 2 : p === "x" || p === "X" ? 1 : 0;
      if (who.includes("u") || who.includes("a")) bits |= v << 6;
      if (who.includes("g") || who.includes("a")) bits |= v << 3;
      if (who.includes("o") || who.includes("a")) bits |= v;
    }
    mode = m[2] === "+" ? mode | bits : m[2] === "-" ? mode & ~bits : (mode & ~0o777) | bits;
  }
  return mode;
}

const chmod: CommandFn = (c) => {
  const [spec, ...files] = c.argv.slice(1).filter((a) => !/^-[Rfv]+$/.test(a));
  if (!spec || !files.length) return c.err("chmod: missing operand\n"), 1;
  let st = 0;
  for (const f of files) {
    const n = c.sh.fs.get(c.sh.path(f));
    const mode = n ? parseMode(spec, n.mode) : undefined;
    if (!n) {
      c.err(`chmod: cannot access '${f}': No such file or directory\n`);
      st = 1;
    } else if (mode === undefined) {
      c.err(`chmod: invalid mode: '${spec}'\n`);
      return 1;
    } else c.sh.fs.chmod(c.sh.path(f), mode);
  }
  return st;
};

const touch: CommandFn = (c) => {
  for (const f of args(c)) {
    const p = c.sh.path(f);
    if (c.sh.fs.get(p)) continue;
    const e = c.sh.fs.write(p, "", false);
    if (e) c.err(`touch: cannot touch '${f}': ${e === "ENOENT" ? "No such file or directory" : "Permission denied"}\n`);
  }
  return 0;
};

function copy(c: Ctx, move: boolean): number {
  const [from, to] = args(c);
  if (!from || !to) return c.err(`${c.argv[0]}: missing file operand\n`), 1;
  const data = c.sh.fs.read(c.sh.path(from));
  if (data === "ENOENT" || data === "EISDIR") return c.err(`${c.argv[0]}: cannot stat '${from}': No such file or directory\n`), 1;
  let dest = c.sh.path(to);
  if (c.sh.fs.get(dest)?.kind === "dir") dest = `${dest}/${from.split("/").pop()}`;
  const e = c.sh.fs.write(dest, data, false);
  if (e) return c.err(`${c.argv[0]}: cannot create regular file '${to}': Permission denied\n`), 1;
  c.sh.capture.wrote(dest, data);
  if (move) c.sh.fs.remove(c.sh.path(from), true);
  return 0;
}

function lines(c: Ctx): string[] {
  const f = args(c).find((a) => !/^\d+$/.test(a));
  const data = f ? c.sh.fs.read(c.sh.path(f)) : c.stdin;
  return (data === "ENOENT" || data === "EISDIR" ? "" : data).split("\n");
}

export const FILES: Record<string, CommandFn> = {
  ls,
  dir: ls,
  cat,
  mkdir,
  rm,
  rmdir: (c) => rm({ ...c, argv: ["rmdir", "-r", ...c.argv.slice(1)] }),
  chmod,
  chown: () => 0,
  touch,
  cp: (c) => copy(c, false),
  mv: (c) => copy(c, true),
  head: (c) => {
    const n = Number(/-n?\s*(\d+)/.exec(c.argv.slice(1).join(" "))?.[1] ?? 10);
    c.out(`${lines(c).slice(0, Math.min(n, 10_000)).join("\n")}\n`);
    return 0;
  },
  tail: (c) => {
    const n = Number(/-n?\s*(\d+)/.exec(c.argv.slice(1).join(" "))?.[1] ?? 10);
    const l = lines(c);
    if (l[l.length - 1] === "") l.pop();
    c.out(`${l.slice(-Math.min(n, 10_000)).join("\n")}\n`);
    return 0;
  },
  grep: (c) => {
    const [pat, file] = args(c);
    if (pat === undefined) return c.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n"), 2;
    const data = file ? c.sh.fs.read(c.sh.path(file)) : c.stdin;
    if (data === "ENOENT" || data === "EISDIR") return c.err(`grep: ${file}: No such file or directory\n`), 2;
    const hits = data.split("\n").filter((l) => l.includes(pat) !== opts(c).includes("v"));
    if (opts(c).includes("c")) c.out(`${hits.length}\n`);
    else for (const h of hits.slice(0, 10_000)) if (h) c.out(`${h}\n`);
    return hits.length ? 0 : 1;
  },
  wc: (c) => {
    const l = lines(c);
    const text = l.join("\n");
    if (opts(c).includes("c")) return c.out(`${text.length}\n`), 0;
    c.out(opts(c).includes("l") ? `${l.length - 1}\n` : `${String(l.length - 1).padStart(7)} ${String(text.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(text.length).padStart(7)}\n`);
    return 0;
  },
};
