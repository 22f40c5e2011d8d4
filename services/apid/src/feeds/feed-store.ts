import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Validators } from "@honeymesh/feeds/fetch-source";

export interface AppliedFeed {
  entries: Set<string>;
  validators: Validators;
  appliedAt: number | null;
}

/**
 * The list in force for each feed (what enforcerd last acknowledged), kept in apid's own state
 * directory so a restart diffs against it instead of re-sending a million entries, and so a feed
 * removed from the config can be withdrawn. Written to a temporary file and renamed: a crash
 * leaves the old list or the new one, never half of one.
 */
export class FeedStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  names(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".list"))
      .map((f) => f.slice(0, -5));
  }

  load(name: string): AppliedFeed {
    const list = join(this.dir, `${name}.list`);
    const meta = join(this.dir, `${name}.json`);
    if (!existsSync(list)) return { entries: new Set(), validators: {}, appliedAt: null };
    const entries = new Set(readFileSync(list, "utf8").split("\n").filter((l) => l !== ""));
    let m: { validators?: Validators; appliedAt?: number } = {};
    try {
      m = JSON.parse(readFileSync(meta, "utf8")) as typeof m;
    } catch {
      // No validators: the next fetch is unconditional, which is always correct.
    }
    return { entries, validators: m.validators ?? {}, appliedAt: m.appliedAt ?? null };
  }

  save(name: string, f: AppliedFeed): void {
    this.write(`${name}.list`, [...f.entries].join("\n"));
    this.write(`${name}.json`, JSON.stringify({ validators: f.validators, appliedAt: f.appliedAt }));
  }

  forget(name: string): void {
    rmSync(join(this.dir, `${name}.list`), { force: true });
    rmSync(join(this.dir, `${name}.json`), { force: true });
  }

  private write(file: string, text: string): void {
    const tmp = join(this.dir, `.${file}.tmp`);
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, join(this.dir, file));
  }
}
