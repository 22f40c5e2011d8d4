/** Reason bits of DESIGN §3. They stack with OR. */
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
export const ALL_REASON_BITS = Object.values(REASONS).reduce((a, b) => a | b, 0);

export function reasonNames(mask: number): ReasonName[] {
  return (Object.keys(REASONS) as ReasonName[]).filter((name) => (mask & REASONS[name]) !== 0);
}

export function reasonMask(names: readonly string[]): number | undefined {
  let mask = 0;
  for (const raw of names) {
    const bit = REASONS[raw.toUpperCase() as ReasonName];
    if (bit === undefined) return undefined;
    mask |= bit;
  }
  return mask;
}
