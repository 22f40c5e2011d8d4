import type { WriteResult } from "@honeymesh/schema/result";

const MAX_WAITERS = 10_000;

/**
 * Lets a write wait for enforcerd's typed answer on `hm/v1/enforcerd/result`, by the write's id.
 * Bounded: past MAX_WAITERS a write does not wait and is answered 202 (accepted, not confirmed).
 */
export class ResultWaiter {
  private readonly waiters = new Map<string, (r: WriteResult | undefined) => void>();

  accept(r: WriteResult): void {
    const w = this.waiters.get(r.id);
    if (!w) return;
    this.waiters.delete(r.id);
    w(r);
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Arms before the write is published (so a fast answer is never missed); undefined after `timeoutMs`. */
  wait(id: string, timeoutMs: number): Promise<WriteResult | undefined> {
    if (this.waiters.size >= MAX_WAITERS) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }
}
