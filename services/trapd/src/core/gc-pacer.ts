/** Finished sessions between two looks at the RSS. */
export const GC_CHECK_EVERY = 16;
/** RSS growth since the last collection that triggers the next one. */
export const GC_RSS_SLACK = 8 * 1024 * 1024;
/** Finished sessions after which a collection runs whatever the RSS did. */
export const GC_MAX_SESSIONS = 2048;

/**
 * Collects garbage once trapd's RSS grew by `slack` since the last collection (looked at every
 * `every` finished sessions), or after `most` sessions: RSS stays high after a collection (the
 * allocator keeps its pages), so growth alone would let garbage fill those pages first.
 *
 * A closed socket's native state (Bun's socket and buffers; node:net's and ssh2's for the SSH
 * trap) is freed only when the JS object wrapping it is collected, and the collector, which paces
 * itself by the JS heap's growth, does not see that memory: under a connect flood trapd's RSS
 * passed 300 MB of closed sockets and dead sessions. Bun.gc(true) (bun:jsc's edenGC and fullGC
 * freed far less) pauses 17 ms at the median, 26 ms at p90, ~230 times over bench/traps; with it
 * trapd's peak RSS there fell from ~260-320 MB to ~140 MB and the first-contact p99 stayed < 5 ms.
 */
export class GcPacer {
  private finished = 0;
  private since = 0;
  private floor: number;
  collections = 0;

  constructor(
    private readonly every = GC_CHECK_EVERY,
    private readonly slack = GC_RSS_SLACK,
    private readonly most = GC_MAX_SESSIONS,
    private readonly rss: () => number = () => process.memoryUsage.rss(),
    private readonly collect: () => void = () => Bun.gc(true),
  ) {
    this.floor = rss();
  }

  /** One session finished. */
  note(): void {
    if (++this.finished < this.every) return;
    this.since += this.finished;
    this.finished = 0;
    if (this.since < this.most && this.rss() < this.floor + this.slack) return;
    this.since = 0;
    this.collections++;
    this.collect();
    // What the allocator kept after the collection is the new floor (RSS rarely shrinks).
    this.floor = this.rss();
  }
}
