import { canonicalV4 } from "./ipv4.ts";

/**
 * One feed's entries: plain IPv4 addresses (most of a large feed) as a sorted, de-duplicated
 * Uint32Array, everything else (prefixes, IPv6) as canonical text. Numbers sort, compare and diff
 * a million entries in milliseconds; the same as a Set of strings costs most of a second.
 */
export interface Snapshot {
  v4: Uint32Array;
  other: Set<string>;
}

export const emptySnapshot = (): Snapshot => ({ v4: new Uint32Array(0), other: new Set() });

export function snapshotSize(s: Snapshot): number {
  return s.v4.length + s.other.size;
}

export function formatV4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Sorts and de-duplicates in place; returns the unique prefix. */
export function sortUnique(a: Uint32Array): Uint32Array {
  a.sort();
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[n - 1]) a[n++] = a[i]!;
  return a.subarray(0, n);
}

function hasV4(a: Uint32Array, v: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = a[mid]!;
    if (m === v) return true;
    if (m < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Whether the snapshot lists this canonical text. */
export function snapshotHas(s: Snapshot, text: string): boolean {
  const v = canonicalV4(text);
  return v >= 0 ? hasV4(s.v4, v) : s.other.has(text);
}

export function* snapshotEntries(s: Snapshot): Generator<string> {
  for (const v of s.v4) yield formatV4(v);
  yield* s.other;
}

/**
 * What turns the old snapshot into the new one. Applied adds-first (enforcerd does both halves in
 * one transaction and one kernel batch), so an address listed in both never passes and no address
 * is ever banned twice.
 */
export function diffSnapshots(old: Snapshot, next: Snapshot): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  // Merge of two sorted arrays.
  const a = old.v4;
  const b = next.v4;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) remove.push(formatV4(a[i++]!));
    else if (i >= a.length || b[j]! < a[i]!) add.push(formatV4(b[j++]!));
    else {
      i++;
      j++;
    }
  }
  for (const t of next.other) if (!old.other.has(t)) add.push(t);
  for (const t of old.other) if (!next.other.has(t)) remove.push(t);
  return { add, remove };
}
