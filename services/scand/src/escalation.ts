/**
 * Fail2Ban's `bantime.increment` semantics: the n-th repeat gets base × factor^n seconds,
 * capped at max, plus an optional random fraction (jitter) so that a botnet's bans do not all
 * expire in the same second.
 */
export function banTtlS(priorOffences: number, baseS: number, factor: number, maxS: number, jitter = 0, random = Math.random): number {
  const raw = baseS * factor ** Math.max(0, priorOffences);
  const capped = Math.min(maxS, raw);
  return Math.max(1, Math.round(Math.min(maxS, capped * (1 + jitter * random()))));
}
