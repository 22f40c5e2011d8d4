import type { BanChange } from "@honeymesh/schema/ban";

interface Waiter {
  match: (c: BanChange) => boolean;
  resolve: (c: BanChange | undefined) => void;
}

const MAX_WAITERS = 10_000;

/**
 * Lets a write wait for enforcerd's answer on `hm/v1/enforcerd/ban`. Bounded: past MAX_WAITERS
 * a write does not wait and is answered 202 (accepted, not yet confirmed).
 */
export class BanWaiter {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private count = 0;

  accept(c: BanChange): void {
    const set = this.waiters.get(c.value);
    if (!set) return;
    for (const w of set) {
      if (!w.match(c)) continue;
      set.delete(w);
      this.count--;
      w.resolve(c);
    }
    if (set.size === 0) this.waiters.delete(c.value);
  }

  /** Resolves with the first matching change for `value`, or undefined after `timeoutMs`. */
  wait(value: string, match: (c: BanChange) => boolean, timeoutMs: number): { promise: Promise<BanChange | undefined>; armed: boolean } {
    if (this.count >= MAX_WAITERS) return { promise: Promise.resolve(undefined), armed: false };
    let set = this.waiters.get(value);
    if (!set) this.waiters.set(value, (set = new Set()));
    const s = set;
    this.count++;
    const promise = new Promise<BanChange | undefined>((resolve) => {
      const w: Waiter = {
        match,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        if (s.delete(w)) this.count--;
        if (s.size === 0 && this.waiters.get(value) === s) this.waiters.delete(value);
        resolve(undefined);
      }, timeoutMs);
      s.add(w);
    });
    return { promise, armed: true };
  }
}
