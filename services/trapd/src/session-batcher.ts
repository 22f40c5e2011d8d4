import type { TrapSession } from "@honeymesh/schema/trap";
import { jsonBytes, MAX_BATCH_BYTES } from "./core/session-fit.ts";

const MAX_BATCH_ITEMS = 64;
// `{"sessions":[` and `]}`.
const FRAME = 15;

/**
 * Gathers closed sessions into batches: one signature and one broker round trip for many
 * sessions. A batch leaves when full (items, or serialised UTF-8 bytes: the bus limit is in
 * bytes, and a character can serialise to 6) or `delayMs` after its first session.
 */
export class SessionBatcher {
  private items: TrapSession[] = [];
  private bytes = FRAME;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flushTo: (batch: TrapSession[]) => void,
    private readonly delayMs = 20,
    private readonly maxBytes = MAX_BATCH_BYTES,
  ) {}

  add(s: TrapSession): void {
    // Each item and its separating comma.
    const size = jsonBytes(s) + 1;
    if (this.items.length > 0 && (this.bytes + size > this.maxBytes || this.items.length >= MAX_BATCH_ITEMS)) this.flush();
    this.items.push(s);
    this.bytes += size;
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.bytes = FRAME;
    this.flushTo(batch);
  }
}
