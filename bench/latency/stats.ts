/** p-quantile of a sample (nearest rank). */
export function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
}

export function summary(xs: number[]): string {
  return `p50 ${quantile(xs, 0.5).toFixed(2)} ms  p99 ${quantile(xs, 0.99).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms  (n=${xs.length})`;
}
