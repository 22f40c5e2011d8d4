import type { Enricher, Enrichment } from "@honeymesh/enrich/enricher";
import { matches, type EnrichFilter } from "@honeymesh/enrich/filter";

/** A list page filtered on enrichment reads at most this many rows; a longer run of non-matching rows ends the page early (its cursor goes on from there). */
export const ENRICH_SCAN_BUDGET = 20_000;
const BATCH = 500;

/** The enrichment as JSON members to splice before an object's closing brace ("" when unknown). */
export function enrichTail(e: Enrichment | undefined): string {
  if (!e) return "";
  let s = "";
  if (e.country !== undefined) s += `,"country":"${e.country}"`;
  if (e.asn !== undefined) s += `,"asn":${e.asn}`;
  if (e.org !== undefined) s += `,"org":${JSON.stringify(e.org)}`;
  return s;
}

/** `{...}` JSON text with the enrichment members added. */
export function spliceEnrichment(json: string, e: Enrichment | undefined): string {
  const tail = enrichTail(e);
  return tail ? `${json.slice(0, -1)}${tail}}` : json;
}

export function withEnrichment<T extends object>(o: T, e: Enrichment | undefined): T & Enrichment {
  return e ? { ...o, ...e } : o;
}

/**
 * One page of a keyset-paginated source keeping only rows whose address matches the filter:
 * reads batches until `limit` matches and one more (there is a next page) or the source ends, at
 * most `budget` rows. When the budget runs out first, the page is short and its cursor is the
 * last row read, so the client's next request goes on scanning where this one stopped.
 */
export function filteredPage<R, K>(
  fetch: (after: K | undefined, n: number) => R[],
  key: (r: R) => K,
  address: (r: R) => string,
  enricher: Enricher,
  filter: EnrichFilter,
  start: K | undefined,
  limit: number,
  budget = ENRICH_SCAN_BUDGET,
): { items: R[]; next: K | undefined } {
  const items: R[] = [];
  let after = start;
  let read = 0;
  for (;;) {
    const n = Math.min(BATCH, budget - read);
    const rows = fetch(after, n);
    for (const r of rows) {
      read++;
      after = key(r);
      if (!matches(enricher.lookup(address(r)), filter)) continue;
      items.push(r);
      if (items.length > limit) return { items: items.slice(0, limit), next: key(items[limit - 1]!) };
    }
    if (rows.length < n) return { items, next: undefined };
    if (read >= budget) return { items, next: after };
  }
}
