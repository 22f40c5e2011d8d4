/** Closed sessions between two collections (about 3 a second at 6 000 connections/s). */
export const GC_EVERY_SESSIONS = 2048;

/**
 * Collects garbage after every `every` finished sessions. A closed socket's native state (Bun's
 * socket and its buffers) is freed only when the JS object wrapping it is collected, and the
 * collector, which paces itself by the JS heap's growth, does not see that memory: under a
 * connect flood trapd's RSS passed 300 MB of closed sockets and dead sessions waiting for a
 * collection. A full collection of a small, mostly dead heap takes a few ms; with it the
 * generic trap's throughput was unchanged and its peak RSS under bench/traps fell to ~110 MB.
 */
export class GcPacer {
  private finished = 0;
  collections = 0;

  constructor(
    private readonly every = GC_EVERY_SESSIONS,
    private readonly collect: () => void = () => Bun.gc(true),
  ) {}

  /** One session finished. */
  note(): void {
    if (++this.finished < this.every) return;
    this.finished = 0;
    this.collections++;
    this.collect();
  }
}
