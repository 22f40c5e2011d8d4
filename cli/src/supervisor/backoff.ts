/** Restart delay: 0.5 s doubling to 30 s; a service that stayed up a minute starts over. */
export function restartDelayMs(consecutiveFailures: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, consecutiveFailures - 1));
}

export const STABLE_AFTER_MS = 60_000;
