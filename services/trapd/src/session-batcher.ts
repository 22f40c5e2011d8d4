import type { TrapSession } from "@honeymesh/schema/trap";

/** Stay well under the bus's 64 KiB message limit (packages/bus verifier). */
const MAX_BATCH_BYTES = 48 * 1024;
const MAX_BATCH_ITEMS = 64;

/**
 * Gathers closed sessions into batches: one signature and one broker round trip for many
 * sessions. A batch leaves when full (items or bytes) or `delayMs` after its first session.
 */
export class SessionBatcher {
  private items: TrapSession[] = [];
  private bytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flushTo: (batch: TrapSession[]) => void,
    private readonly delayMs = 20,
  ) {}

  add(s: TrapSession): void {
    const size = JSON.stringify(s).length;
    if (this.items.length > 0 && (this.bytes + size > MAX_BATCH_BYTES || this.items.length >= MAX_BATCH_ITEMS)) this.flush();
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
    this.bytes = 0;
    this.flushTo(batch);
  }
}
