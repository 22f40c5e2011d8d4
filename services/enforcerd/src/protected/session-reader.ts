import { join } from "node:path";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";

/** A session snapshot and when its read started (performance.now() of this thread). */
export interface SessionSnapshot {
  set: Set<string>;
  at: number;
}

export interface SessionReaderOptions {
  trapPorts: ReadonlySet<number>;
  /** How often the worker re-reads while active. */
  periodMs?: number;
  /** How long the worker stays active after the last unverified decision asked. */
  activeMs?: number;
}

/**
 * Keeps the live-session snapshot fresh off the event loop while unverified decisions flow: the
 * first one after a quiet spell still reads synchronously (ProtectedSet's on-demand read, so its
 * guarantee holds), and starts a worker that re-reads every 200 ms for the next 10 s; the ones
 * after it find a snapshot younger than the on-demand limit (250 ms) ready. The worker starts on
 * first use, so an idle node pays nothing for it.
 */
export class SessionReader {
  private worker: Worker | undefined;
  private latest: SessionSnapshot | undefined;
  private lastTouch = -Infinity;
  reads = 0;

  constructor(private readonly o: SessionReaderOptions) {}

  /** Keeps the worker reading for the next `activeMs` (messages it only every second). */
  touch(now = performance.now()): void {
    if (now - this.lastTouch < 1_000) return;
    this.lastTouch = now;
    if (!this.worker) {
      // From SOURCE_ROOT, like the ring-buffer worker: a release ships it as a bundled file there.
      this.worker = new Worker(join(SOURCE_ROOT, "services/enforcerd/src/protected/session-worker.ts"));
      this.worker.unref?.();
      this.worker.onmessage = (e: MessageEvent<{ addresses: string[]; startedWallMs: number }>) => {
        this.reads++;
        // The worker's clock origin differs from ours: carry the read's age over, not its timestamp.
        this.latest = { set: new Set(e.data.addresses), at: performance.now() - (Date.now() - e.data.startedWallMs) };
      };
      this.worker.postMessage({ trapPorts: [...this.o.trapPorts], periodMs: this.o.periodMs ?? 200 });
    }
    this.worker.postMessage({ activeUntilWallMs: Date.now() + (this.o.activeMs ?? 10_000) });
  }

  snapshot(): SessionSnapshot | undefined {
    return this.latest;
  }

  close(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}
