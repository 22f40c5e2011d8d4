/**
 * Reason bits of DESIGN §3: the one definition every service, the kernel mirror, the CLI and the
 * dashboard use. They stack with OR; the bus and the kernel carry masks, every human or API edge
 * shows names.
 */
export const REASONS = {
  TRAP: 1,
  SCAN: 2,
  MESH: 4,
  MANUAL: 8,
  ENTROPY: 16,
  BRUTEFORCE: 32,
  EXTERNAL: 64,
} as const;
export type ReasonName = keyof typeof REASONS;
export const REASON_NAMES = Object.keys(REASONS) as ReasonName[];
export const ALL_REASON_BITS = Object.values(REASONS).reduce((a, b) => a | b, 0);

export function reasonNames(mask: number): ReasonName[] {
  return REASON_NAMES.filter((name) => (mask & REASONS[name]) !== 0);
}

/** Mask of the given names (case-insensitive); undefined when one is not a reason. */
export function reasonMask(names: readonly string[]): number | undefined {
  let mask = 0;
  for (const raw of names) {
    const bit = REASONS[raw.trim().toUpperCase() as ReasonName];
    if (bit === undefined) return undefined;
    mask |= bit;
  }
  return mask;
}

export function isReasonName(s: string): s is ReasonName {
  return Object.hasOwn(REASONS, s);
}
