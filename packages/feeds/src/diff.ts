/**
 * What turns the old snapshot of a feed into the new one. Applied adds-first (enforcerd does both
 * halves in one transaction and one kernel batch), so an address listed in both never passes and
 * no address is ever banned twice.
 */
export function diffSets(old: ReadonlySet<string>, next: ReadonlySet<string>): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  for (const a of next) if (!old.has(a)) add.push(a);
  for (const a of old) if (!next.has(a)) remove.push(a);
  return { add, remove };
}
