import type { ShellLimits } from "./session-limits.ts";

/** A file's bytes are kept as a latin1 string (one char per byte), so binary droppers round-trip. */
export interface FileNode {
  kind: "file";
  mode: number;
  mtime: number;
  owner: string;
  data: string | (() => string);
  /** Written in this session by a redirection or an upload (what quarantine and capture look at). */
  written?: "redirect" | "dropper" | "upload";
}
export interface DirNode {
  kind: "dir";
  mode: number;
  mtime: number;
  owner: string;
  children: Map<string, Node>;
}
export type Node = FileNode | DirNode;

export type FsError = "ENOENT" | "ENOTDIR" | "EISDIR" | "EACCES" | "EEXIST" | "ENOSPC" | "ENOTEMPTY";
export const FS_MESSAGE: Record<FsError, string> = {
  ENOENT: "No such file or directory",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EACCES: "Permission denied",
  EEXIST: "File exists",
  ENOSPC: "No space left on device",
  ENOTEMPTY: "Directory not empty",
};

// Pseudo file systems: reading works, creating anything fails as on a real kernel (cowrie PR 938).
const PSEUDO = ["/proc", "/sys", "/dev"];

export function normalize(cwd: string, path: string, home = "/root"): string {
  let p = path === "~" || path.startsWith("~/") ? home + path.slice(1) : path;
  if (!p.startsWith("/")) p = `${cwd}/${p}`;
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (!part || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

/**
 * One session's file tree, in memory only: a copy built from the persona when the shell starts,
 * changed by what the attacker does, bounded in bytes and nodes, thrown away at the end.
 */
export class FileTree {
  readonly root: DirNode;
  private bytes = 0;
  private nodes = 0;

  constructor(
    build: (t: FileTree) => DirNode,
    private readonly limits: Pick<ShellLimits, "maxFsBytes" | "maxFsNodes">,
    readonly now: () => number = Date.now,
  ) {
    this.root = build(this);
    this.bytes = 0;
    this.nodes = 0;
  }

  static dir(mode = 0o755, owner = "root", mtime = 0): DirNode {
    return { kind: "dir", mode, owner, mtime, children: new Map() };
  }

  get(path: string): Node | undefined {
    let n: Node = this.root;
    for (const part of path.split("/")) {
      if (!part) continue;
      if (n.kind !== "dir") return undefined;
      const next: Node | undefined = n.children.get(part);
      if (!next) return undefined;
      n = next;
    }
    return n;
  }

  read(path: string): string | FsError {
    const n = this.get(path);
    if (!n) return "ENOENT";
    if (n.kind === "dir") return "EISDIR";
    return typeof n.data === "function" ? n.data() : n.data;
  }

  private parentOf(path: string): { dir: DirNode; name: string } | FsError {
    const i = path.lastIndexOf("/");
    const name = path.slice(i + 1);
    if (!name) return "EEXIST";
    if (PSEUDO.some((p) => path === p || path.startsWith(`${p}/`)) && path !== "/dev/null") return path.startsWith("/dev") ? "EACCES" : "ENOENT";
    const parent = this.get(path.slice(0, i) || "/");
    if (!parent) return "ENOENT";
    if (parent.kind !== "dir") return "ENOTDIR";
    return { dir: parent, name };
  }

  /** Writes (or appends to) a file; "/dev/null" swallows. */
  write(path: string, data: string, append: boolean, how: FileNode["written"] = "redirect"): FsError | undefined {
    if (path === "/dev/null") return undefined;
    const at = this.parentOf(path);
    if (typeof at === "string") return at;
    const old = at.dir.children.get(at.name);
    if (old?.kind === "dir") return "EISDIR";
    const before = old && typeof old.data === "string" ? old.data : "";
    const next = append ? before + data : data;
    if (this.bytes - before.length + next.length > this.limits.maxFsBytes) return "ENOSPC";
    if (!old && this.nodes >= this.limits.maxFsNodes) return "ENOSPC";
    if (!old) this.nodes++;
    this.bytes += next.length - before.length;
    // A dropper is echo -e/printf bytes; once a file got some it stays one (appends build binaries).
    const written = old?.written === "dropper" || how === "dropper" ? "dropper" : how;
    at.dir.children.set(at.name, { kind: "file", mode: old?.mode ?? 0o644, owner: old?.owner ?? "root", mtime: this.now(), data: next, written });
    return undefined;
  }

  mkdir(path: string, parents: boolean): FsError | undefined {
    if (parents) {
      let p = "";
      for (const part of path.split("/").filter(Boolean)) {
        p += `/${part}`;
        const n = this.get(p);
        if (n?.kind === "dir") continue;
        if (n) return "ENOTDIR";
        const e = this.mkdir(p, false);
        if (e) return e;
      }
      return undefined;
    }
    const at = this.parentOf(path);
    if (typeof at === "string") return at;
    if (at.dir.children.has(at.name)) return "EEXIST";
    if (this.nodes >= this.limits.maxFsNodes) return "ENOSPC";
    this.nodes++;
    at.dir.children.set(at.name, { ...FileTree.dir(0o755, "root", this.now()) });
    return undefined;
  }

  remove(path: string, recursive: boolean): FsError | undefined {
    const at = this.parentOf(path);
    if (typeof at === "string") return at === "EACCES" || path.startsWith("/proc") || path.startsWith("/sys") ? "EACCES" : at;
    const n = at.dir.children.get(at.name);
    if (!n) return "ENOENT";
    if (n.kind === "dir" && !recursive) return "EISDIR";
    at.dir.children.delete(at.name);
    return undefined;
  }

  chmod(path: string, mode: number): FsError | undefined {
    const n = this.get(path);
    if (!n) return "ENOENT";
    n.mode = mode & 0o7777;
    return undefined;
  }

  /** Files this session wrote, by path. */
  writtenFiles(): [string, FileNode][] {
    const out: [string, FileNode][] = [];
    const walk = (d: DirNode, p: string, depth: number) => {
      if (depth > 64) return;
      for (const [name, n] of d.children) {
        const q = `${p}/${name}`;
        if (n.kind === "dir") walk(n, q, depth + 1);
        else if (n.written) out.push([q, n]);
      }
    };
    walk(this.root, "", 0);
    return out;
  }
}
