import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Position } from "./logd-store.ts";

/**
 * Follows one file by polling (inotify misses renames on some filesystems and cannot see a file
 * that does not exist yet): new complete lines are handed over in batches with the position after
 * them. Handles
 *   - rename rotation: the path now names another inode → the old file (still open) is read to
 *     its end, then the new one from 0;
 *   - copytruncate: same inode, size below our offset → read again from 0;
 *   - a file that appears later: nothing until it exists, then from 0;
 *   - restart: a saved position is trusted only if the inode matches and the line ending at the
 *     offset hashes to the saved value (else the file was replaced: read from 0).
 * A line without its newline yet is left for the next poll; lines over `maxLine` bytes are cut.
 */
export type BatchHandler = (lines: string[], pos: Position) => void;

const CHUNK = 64 * 1024;

export function lineHash(line: string): string {
  return Bun.hash.wyhash(line).toString(16);
}

export class FileFollower {
  private fd: number | null = null;
  private inode = 0;
  private offset = 0;
  private lastHash = "";
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private readonly decoder = new TextDecoder();
  lines = 0;
  lastActivity = 0;
  /** false while the path does not exist (reported in the jail's source health). */
  exists = false;
  /** The last open(2) error other than ENOENT (EACCES: logd lacks the log's group), else null. */
  openError: string | null = null;

  constructor(
    readonly path: string,
    saved: Position | undefined,
    private readonly onBatch: BatchHandler,
    private readonly maxLine = 16 * 1024,
  ) {
    if (saved) {
      this.inode = saved.inode;
      this.offset = saved.offset;
      this.lastHash = saved.lastLineHash;
    }
    this.open(saved);
  }

  private open(saved?: Position): void {
    if (saved && this.resumeRotated(saved)) return;
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      this.openError = code === "ENOENT" ? null : code;
      return; // not there yet, or not readable: retried on every step
    }
    const st = fstatSync(fd);
    this.fd = fd;
    this.exists = true;
    this.openError = null;
    if (saved && st.ino === saved.inode && st.size >= saved.offset && this.verify(saved)) return;
    this.inode = st.ino;
    this.offset = 0;
    this.lastHash = "";
  }

  /**
   * Rotated while we were not running: the path names another inode, and the file we were
   * reading lives on beside it (`auth.log.1`). Resume that one from the saved offset; the next
   * step finishes it and moves on to the new file, as for a rotation seen live.
   */
  private resumeRotated(saved: Position): boolean {
    let cur: number | null = null;
    try {
      cur = statSync(this.path).ino;
    } catch {
      cur = null;
    }
    if (cur === saved.inode) return false;
    const dir = dirname(this.path);
    const base = basename(this.path);
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n !== base && n.startsWith(base) && !/\.(gz|bz2|xz|zst)$/.test(n)).slice(0, 64);
    } catch {
      return false;
    }
    for (const n of names) {
      const p = join(dir, n);
      try {
        if (statSync(p).ino !== saved.inode) continue;
        this.fd = openSync(p, "r");
      } catch {
        continue;
      }
      this.inode = saved.inode;
      if (fstatSync(this.fd).size >= saved.offset && this.verify(saved)) {
        this.exists = cur !== null;
        return true;
      }
      closeSync(this.fd);
      this.fd = null;
    }
    return false;
  }

  /** Does the line ending at the saved offset hash to what we stored? */
  private verify(saved: Position): boolean {
    if (saved.offset === 0) return true;
    if (this.fd === null) return false;
    const from = Math.max(0, saved.offset - this.maxLine - 1);
    const len = saved.offset - from;
    const b = Buffer.allocUnsafe(len);
    const n = readSync(this.fd, b, 0, len, from);
    if (n !== len || b[len - 1] !== 0x0a) return false;
    const text = b.subarray(0, len - 1);
    const nl = text.lastIndexOf(0x0a);
    const line = this.decoder.decode(text.subarray(nl + 1)).replace(/\r$/, "");
    return lineHash(line.slice(0, this.maxLine)) === saved.lastLineHash;
  }

  /** One poll: read what is new, follow rotation. Returns the number of lines handed over. */
  step(): number {
    let total = 0;
    if (this.fd === null) {
      this.open();
      if (this.fd === null) return 0;
    }
    let st: ReturnType<typeof statSync> | null = null;
    try {
      st = statSync(this.path);
    } catch {
      st = null; // moved away, not yet recreated: finish what the open file holds
    }
    this.exists = st !== null;
    const cur = fstatSync(this.fd);
    // copytruncate: the file shrank below our offset, or was truncated and refilled past it
    // (then the line before our offset is no longer the one we read last)
    if (st && st.ino === this.inode && (cur.size < this.offset || (cur.size > this.offset && !this.verify({ inode: this.inode, offset: this.offset, lastLineHash: this.lastHash })))) {
      this.offset = 0;
      this.lastHash = "";
    }
    total += this.drain();
    if (st && st.ino !== this.inode) {
      closeSync(this.fd);
      this.fd = null;
      this.open();
      total += this.drain();
    }
    if (total) this.lastActivity = Date.now();
    return total;
  }

  private drain(): number {
    if (this.fd === null) return 0;
    let total = 0;
    let pending = Buffer.alloc(0);
    let pendingFrom = this.offset;
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, CHUNK, pendingFrom + pending.length);
      if (n <= 0) break;
      const data = pending.length ? Buffer.concat([pending, this.buf.subarray(0, n)]) : Buffer.from(this.buf.subarray(0, n));
      const lines: string[] = [];
      let start = 0;
      let nl: number;
      while ((nl = data.indexOf(0x0a, start)) >= 0) {
        lines.push(this.decoder.decode(data.subarray(start, nl)).replace(/\r$/, "").slice(0, this.maxLine));
        start = nl + 1;
      }
      if (lines.length) {
        this.offset = pendingFrom + start;
        this.lastHash = lineHash(lines[lines.length - 1]!);
        this.onBatch(lines, { inode: this.inode, offset: this.offset, lastLineHash: this.lastHash });
        total += lines.length;
        this.lines += lines.length;
      }
      pending = data.subarray(start);
      pendingFrom = this.offset;
      if (pending.length > this.maxLine) {
        // an endless line: skip what we have, keep reading to its end
        this.offset += pending.length;
        pending = Buffer.alloc(0);
        pendingFrom = this.offset;
      }
    }
    return total;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
