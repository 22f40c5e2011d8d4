import { statSync } from "node:fs";
import { FileFollower } from "./file-follower.ts";
import type { Jail, JailFired } from "./jail.ts";
import type { LogdStore, WindowOp } from "./logd-store.ts";

/**
 * A followed file and the jails that read it: each batch of lines goes through every jail, and
 * the failures found are committed with the file position in one transaction before anything
 * fired is handed on (a crash after the commit loses no line and counts none twice).
 */
export class FileSource {
  readonly follower: FileFollower;
  /**
   * For a file logd has no position for: its size when logd first saw it. Lines before that are
   * catch-up (history), the rest is live.
   */
  private catchUpUntil: number;
  constructor(
    path: string,
    private jails: Jail[],
    private readonly store: LogdStore,
    private readonly onFired: (f: JailFired) => void,
    private readonly now: () => number = Date.now,
  ) {
    const saved = store.position(path);
    this.catchUpUntil = saved === undefined ? sizeOf(path) : 0;
    this.follower = new FileFollower(path, saved, (lines, pos) => {
      const ops: WindowOp[] = [];
      const fired: JailFired[] = [];
      const t = this.now();
      const catchingUp = pos.offset <= this.catchUpUntil;
      for (const line of lines) {
        for (const j of this.jails) {
          const r = j.line(line, t, undefined, catchingUp);
          if (r.failure) ops.push({ op: "add", row: r.failure });
          if (r.fired) {
            fired.push(r.fired);
            ops.push({ op: "spent", jail: r.fired.jail, address: r.fired.address });
          }
        }
      }
      this.store.commit(path, pos, ops, t);
      for (const f of fired) this.onFired(f);
    });
  }

  /** Another jail reading the same file. */
  addJail(j: Jail): void {
    if (!this.jails.includes(j)) this.jails = [...this.jails, j];
  }

  step(): number {
    const n = this.follower.step();
    if (n === 0) this.catchUpUntil = 0; // caught up (or rotated): everything from now on is live
    return n;
  }

  close(): void {
    this.follower.close();
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
