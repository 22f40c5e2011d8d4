import { Glob } from "bun";
import { existsSync, watch, type FSWatcher } from "node:fs";
import { dirname, isAbsolute } from "node:path";
import { loadFilter } from "@honeymesh/f2b-filter/builtin";
import type { FrozenConfig } from "@honeymesh/config/schema";
import type { LogdJailMetrics } from "@honeymesh/schema/metrics";
import { Jail, type JailFired } from "./jail.ts";
import { durationSeconds } from "@honeymesh/config/duration";
import { ignoreMatcher } from "./jail-config.ts";
import { JournalSource } from "./journal-source.ts";
import type { LogdStore } from "./logd-store.ts";
import { FileSource } from "./source.ts";

type JailConfig = FrozenConfig["jails"][string];

interface Running {
  jail: Jail;
  conf: JailConfig;
  silentAfterMs: number;
  journal?: JournalSource;
  /** files this jail reads (several jails may share one FileSource). */
  files: Set<string>;
  error: string;
  startedAt: number;
}

/**
 * The configured jails and their sources. A file named by several jails is followed once and its
 * lines go to each of them; globs are expanded again at every rescan, so files that appear later
 * are picked up.
 */
export class JailSet {
  private readonly running: Running[] = [];
  private readonly files = new Map<string, FileSource>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly dirty = new Set<FileSource>();
  private scheduled = false;
  readonly errors: string[] = [];

  constructor(
    private readonly config: FrozenConfig,
    private readonly store: LogdStore,
    private readonly onFired: (f: JailFired) => void,
    private readonly now: () => number = Date.now,
    private readonly journalctl = "journalctl",
    builtinDir?: string,
  ) {
    const t = now();
    const rows = store.recent(t - 31_536_000_000);
    for (const [name, conf] of Object.entries(config.jails)) {
      if (!conf.enabled) continue;
      try {
        const journal = conf.logpath.length === 1 && conf.logpath[0] === "journal";
        const spec = conf.filter || name;
        // from the journal, lines carry no date and a short prefix: Fail2Ban's logtype=journal
        const withType = journal && !spec.includes("[") ? `${spec}[logtype=journal]` : journal ? spec.replace("[", "[logtype=journal, ") : spec;
        const filter = loadFilter(withType, undefined, builtinDir);
        const jail = new Jail(
          { name, maxretry: conf.maxretry, findtime_s: durationSeconds(conf.findtime), bantime_s: Math.round(durationSeconds(conf.bantime)), ignore: ignoreMatcher(conf.ignoreip) },
          filter,
        );
        jail.restore(rows, t);
        const r: Running = { jail, conf, silentAfterMs: durationSeconds(conf.silent_after) * 1000, files: new Set(), error: "", startedAt: t };
        if (journal) {
          const matches = conf.journalmatch ? [conf.journalmatch] : filter.definition.journalmatch;
          r.journal = new JournalSource(jail, matches, store, onFired, journalctl);
        }
        this.running.push(r);
      } catch (e) {
        this.errors.push(`jail ${name}: ${(e as Error).message}`);
      }
    }
    this.rescan();
  }

  start(): void {
    for (const r of this.running) r.journal?.start();
  }

  /** Expands logpaths (globs included) and follows files not followed yet. */
  rescan(): void {
    for (const r of this.running) {
      if (r.journal) continue;
      const paths: string[] = [];
      for (const p of r.conf.logpath) {
        if (!isAbsolute(p)) {
          r.error = `logpath ${p} is not absolute`;
          continue;
        }
        if (/[*?[{]/.test(p)) {
          const base = globBase(p);
          if (existsSync(base)) for (const f of new Glob(p.slice(base.length + 1)).scanSync({ cwd: base, absolute: true, onlyFiles: true })) paths.push(f);
        } else paths.push(p); // followed even before it exists
      }
      for (const p of paths) {
        if (/\.(gz|bz2|xz|zst)$/.test(p)) continue; // compressed rotations are history
        r.files.add(p);
        let src = this.files.get(p);
        if (!src) {
          src = new FileSource(p, [], this.store, this.onFired, this.now);
          this.files.set(p, src);
        }
        src.addJail(r.jail);
        this.watchDir(dirname(p));
      }
    }
  }

  /**
   * inotify on the file's directory (creation, rename, write): a changed file is read at once
   * instead of at the next poll, which bounds how many attempts get through before a ban. The
   * poll stays as the fallback (inotify misses some filesystems, and queues can overflow).
   */
  private watchDir(dir: string): void {
    if (this.watchers.has(dir) || this.watchers.size >= 256) return;
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        const src = name ? this.files.get(`${dir}/${name}`) : undefined;
        if (src) this.dirty.add(src);
        else for (const [p, s] of this.files) if (dirname(p) === dir) this.dirty.add(s);
        if (!this.scheduled) {
          this.scheduled = true;
          queueMicrotask(() => {
            this.scheduled = false;
            const todo = [...this.dirty];
            this.dirty.clear();
            for (const s of todo) s.step();
          });
        }
      });
      w.on("error", () => {
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch {
      // not watchable: the poll covers it
    }
  }

  /** One poll of every followed file. */
  step(): number {
    let n = 0;
    for (const s of this.files.values()) n += s.step();
    return n;
  }

  sweep(): void {
    const t = this.now();
    for (const r of this.running) r.jail.sweep(t);
    this.store.prune(t - Math.max(...this.running.map((r) => r.jail.spec.findtime_s), 0) * 1000);
  }

  metrics(): LogdJailMetrics[] {
    const t = this.now();
    return this.running.slice(0, 64).map((r) => {
      const files = [...r.files].map((p) => this.files.get(p)!).filter(Boolean);
      const lines = r.journal ? r.journal.lines : files.reduce((a, f) => a + f.follower.lines, 0);
      const lastLine = r.journal ? r.journal.lastActivity : Math.max(0, ...files.map((f) => f.follower.lastActivity));
      const { ok, detail } = this.sourceHealth(r, files, lastLine, t);
      return {
        jail: r.jail.spec.name,
        source: (r.journal ? "journal" : r.conf.logpath.join(", ")).slice(0, 512),
        lines,
        failures: r.jail.failures,
        ignored: r.jail.ignored,
        bans: r.jail.fired,
        tracked: r.jail.tracked(),
        evicted: r.jail.evicted,
        last_match: r.jail.lastMatch,
        last_line: lastLine,
        source_ok: ok,
        source_detail: detail.slice(0, 256),
      };
    });
  }

  private sourceHealth(r: Running, files: FileSource[], lastLine: number, t: number): { ok: boolean; detail: string } {
    if (r.error) return { ok: false, detail: r.error };
    if (r.journal?.error) return { ok: false, detail: r.journal.error };
    if (!r.journal && files.length === 0) return { ok: false, detail: `no file matches ${r.conf.logpath.join(", ")}` };
    if (!r.journal && files.every((f) => !f.follower.exists)) {
      // A file that exists but cannot be opened (EACCES) is not "missing": say why.
      return { ok: false, detail: files.map((f) => `${f.follower.path} ${f.follower.openError ? `not readable (${f.follower.openError})` : "missing"}`).join(", ") };
    }
    if (r.silentAfterMs > 0 && t - Math.max(lastLine, r.startedAt) > r.silentAfterMs) {
      return { ok: false, detail: `no line for ${Math.round((t - Math.max(lastLine, r.startedAt)) / 1000)} s (silent_after ${r.silentAfterMs / 1000} s)` };
    }
    return { ok: true, detail: "" };
  }

  stop(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    for (const r of this.running) r.journal?.stop();
    for (const f of this.files.values()) f.close();
  }
}

function globBase(p: string): string {
  let base = p;
  while (/[*?[{]/.test(base)) base = dirname(base);
  return base;
}
