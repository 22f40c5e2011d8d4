import type { Api } from "../api/client.ts";
import type { Ban, BanEvent } from "../api/types.ts";
import { reasonNames } from "../api/types.ts";
import { markUpdate } from "../ui/perf.ts";
import { Signal } from "../ui/signal.ts";

export interface BanQuery {
  state: "active" | "expired" | "all";
  /** An address: only the bans that drop it (its own and every prefix containing it). */
  contains: string;
  reason: string;
  origin: string;
}

const PAGE = 500;
/** Rows held in the tab at most; past that the operator narrows the query. */
export const MAX_ROWS = 200_000;

/**
 * The bans of one query, loaded page by page (apid's keyset cursor) as the table scrolls towards
 * the end of what is loaded. Live ban changes patch loaded rows in place; new bans are counted
 * (they would land anywhere in the address order) and shown after a reload.
 */
export class BanList {
  rows: Ban[] = [];
  private index = new Map<string, number>();
  private cursor: string | null = null;
  private started = false;
  private loading: AbortController | undefined;
  error: string | undefined;
  newSince = 0;
  readonly version = new Signal(0);

  constructor(
    private readonly api: Api,
    readonly query: BanQuery,
  ) {}

  get done(): boolean {
    return this.started && (this.cursor === null || this.rows.length >= MAX_ROWS);
  }

  get busy(): boolean {
    return this.loading !== undefined;
  }

  private bump(): void {
    markUpdate();
    this.version.set(this.version.value + 1);
  }

  async more(): Promise<void> {
    if (this.loading || this.done) return;
    const ctl = new AbortController();
    this.loading = ctl;
    try {
      const q = this.query;
      const page = await this.api.bans({ state: q.state, contains: q.contains.trim(), reason: q.reason, origin: q.origin.trim(), cursor: this.cursor, limit: PAGE }, ctl.signal);
      for (const b of page.items) {
        this.index.set(b.address.text, this.rows.length);
        this.rows.push(b);
      }
      this.cursor = page.next_cursor;
      this.started = true;
      this.error = undefined;
    } catch (e) {
      if (!ctl.signal.aborted) this.error = (e as Error).message;
    } finally {
      if (this.loading === ctl) this.loading = undefined;
      this.bump();
    }
  }

  /** Applies live changes to loaded rows; returns whether anything visible changed. */
  apply(changes: BanEvent[]): void {
    let touched = false;
    for (const c of changes) {
      const i = this.index.get(c.address.text);
      if (i === undefined) {
        if (c.change === "added") this.newSince++, (touched = true);
        continue;
      }
      const prev = this.rows[i]!;
      const gone = c.change === "removed" || c.change === "expired";
      this.rows[i] = { ...prev, reasons: reasonNames(c.reasons), expires_at: gone ? -1 : c.expires_at, origin: c.origin, offence: c.offence, confidence: c.confidence, evidence: c.evidence.length ? c.evidence : prev.evidence, updated_at: c.at };
      touched = true;
    }
    if (touched) this.bump();
  }

  /** Re-reads one ban after an operator action. */
  async refresh(value: string): Promise<void> {
    const i = this.index.get(value);
    if (i === undefined) return;
    try {
      const b = await this.api.get<Ban>(`/v1/bans/${encodeURIComponent(value)}`);
      this.rows[i] = b;
    } catch {
      this.rows[i] = { ...this.rows[i]!, expires_at: -1 };
    }
    this.bump();
  }

  close(): void {
    this.loading?.abort();
  }
}
