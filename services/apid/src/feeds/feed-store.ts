import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Validators } from "@honeymesh/feeds/fetch-source";
import { emptySnapshot, type Snapshot } from "@honeymesh/feeds/snapshot";

export interface AppliedFeed {
  entries: Snapshot;
  validators: Validators;
  appliedAt: number | null;
}

/**
 * The list in force for each feed (what enforcerd last acknowledged), kept in apid's own state
 * directory so a restart diffs against it instead of re-sending a million entries, and so a feed
 * removed from the config can be withdrawn. IPv4 addresses as raw 32-bit values (`.v4`), the rest
 * as lines (`.list`), metadata in `.json`, each written to a temporary file and renamed; the
 * `.json` goes last, so a crash between leaves a list whose validators make the next fetch full.
 */
export class FeedStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  names(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json") && !f.startsWith("."))
      .map((f) => f.slice(0, -5));
  }

  load(name: string): AppliedFeed {
    const meta = join(this.dir, `${name}.json`);
    if (!existsSync(meta)) return { entries: emptySnapshot(), validators: {}, appliedAt: null };
    try {
      const m = JSON.parse(readFileSync(meta, "utf8")) as { validators?: Validators; appliedAt?: number };
      const raw = readFileSync(join(this.dir, `${name}.v4`));
      const v4 = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength - (raw.byteLength % 4)));
      const other = new Set(readFileSync(join(this.dir, `${name}.list`), "utf8").split("\n").filter((l) => l !== ""));
      return { entries: { v4, other }, validators: m.validators ?? {}, appliedAt: m.appliedAt ?? null };
    } catch {
      // Unreadable: start as if nothing were applied; the next update re-sends (enforcerd answers unchanged).
      return { entries: emptySnapshot(), validators: {}, appliedAt: null };
    }
  }

  save(name: string, f: AppliedFeed): void {
    this.write(`${name}.v4`, new Uint8Array(f.entries.v4.buffer, f.entries.v4.byteOffset, f.entries.v4.byteLength));
    this.write(`${name}.list`, [...f.entries.other].join("\n"));
    this.write(`${name}.json`, JSON.stringify({ validators: f.validators, appliedAt: f.appliedAt }));
  }

  forget(name: string): void {
    for (const ext of ["json", "v4", "list"]) rmSync(join(this.dir, `${name}.${ext}`), { force: true });
  }

  private write(file: string, data: string | Uint8Array): void {
    const tmp = join(this.dir, `.${file}.tmp`);
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, join(this.dir, file));
  }
}
