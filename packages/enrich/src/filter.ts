import type { Enrichment } from "./enricher.ts";

/** A list filter on enrichment: both given = both must match. */
export interface EnrichFilter {
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  asn?: number;
}

export function hasFilter(f: EnrichFilter): boolean {
  return f.country !== undefined || f.asn !== undefined;
}

export function matches(e: Enrichment | undefined, f: EnrichFilter): boolean {
  if (f.country !== undefined && e?.country !== f.country) return false;
  if (f.asn !== undefined && e?.asn !== f.asn) return false;
  return true;
}
