import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Stored {
  sha256: string;
  size: number;
  stored: boolean;
}

/**
 * Uploaded and dropped files, kept for analysis under <state_dir>/trapd/quarantine/<sha256>:
 * named by content (a second copy is not written again), mode 0400 (never executable, never
 * rewritten), each file and the whole directory under a byte cap; over a cap only the hash is kept.
 * Nothing here ever executes or opens what it stores.
 */
export class Quarantine {
  private used = 0;
  stored = 0;
  refused = 0;

  constructor(
    readonly dir: string,
    private readonly maxFile: number,
    private readonly maxTotal: number,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir).slice(0, 100_000)) {
      try {
        this.used += statSync(join(dir, name)).size;
      } catch {
        // raced with an operator's cleanup
      }
    }
  }

  keep(bytes: Uint8Array): Stored {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const size = bytes.length;
    // Already kept (a bot drops the same binary everywhere): no second copy, no cost.
    if (existsSync(join(this.dir, sha256))) return { sha256, size, stored: true };
    if (size > this.maxFile || this.used + size > this.maxTotal) {
      this.refused++;
      return { sha256, size, stored: false };
    }
    try {
      writeFileSync(join(this.dir, sha256), bytes, { mode: 0o400, flag: "wx" });
      this.used += size;
      this.stored++;
      return { sha256, size, stored: true };
    } catch (e) {
      // Already there: same bytes, same name.
      return { sha256, size, stored: (e as NodeJS.ErrnoException).code === "EEXIST" };
    }
  }
}
