// bench/traps: trapd's memory per open connection. Opens N idle connections to one trap (each
// waits for the trap's first bytes, so trapd has admitted it), reads trapd's RSS from its health
// reports before and after, and reports (after − before) / N. Used by run.ts.
import type { Socket } from "bun";

/** Health reports of trapd as the bench sees them: the latest RSS and a counter of reports. */
export interface RssFeed {
  rss(): number;
  reports(): number;
}

/** The RSS of the next `n` health reports, their median (a report can land mid-allocation). */
async function settledRss(feed: RssFeed, n = 3): Promise<number> {
  const seen: number[] = [];
  let last = feed.reports();
  const deadline = Date.now() + 20_000;
  while (seen.length < n) {
    if (Date.now() > deadline) throw new Error("no trapd health report within 20 s");
    await Bun.sleep(20);
    if (feed.reports() !== last) {
      last = feed.reports();
      seen.push(feed.rss());
    }
  }
  return seen.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

/** One idle client: resolves with its socket once the trap has said something (a banner, SSH's ident). */
function idleClient(port: number): Promise<Socket<undefined> | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const settle = (s: Socket<undefined> | undefined) => {
      if (!done) {
        done = true;
        resolve(s);
      }
    };
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: { data: (s) => settle(s), close: () => settle(undefined), error: () => settle(undefined) },
    }).catch(() => settle(undefined));
  });
}

/**
 * Bytes of trapd RSS per idle open connection to `port` (a trap that speaks first). The
 * connections must fit trapd's idle timeout and its concurrency caps (the bench raises them).
 */
export async function bytesPerConnection(feed: RssFeed, port: number, n = 2_000): Promise<{ perConn: number; opened: number }> {
  await Bun.sleep(500);
  const before = await settledRss(feed);
  const socks: Socket<undefined>[] = [];
  // In steps of 200, so the accept queue never overflows and every connection is admitted.
  for (let i = 0; i < n; i += 200) {
    const step = await Promise.all(Array.from({ length: Math.min(200, n - i) }, () => idleClient(port)));
    for (const s of step) if (s) socks.push(s);
  }
  const after = await settledRss(feed);
  for (const s of socks) s.end();
  await Bun.sleep(300);
  return { perConn: (after - before) / Math.max(1, socks.length), opened: socks.length };
}
