import type { Geo } from "../api/types.ts";

/**
 * Country / ASN / organisation of a ban or a session, when apid sends them (optional fields of an
 * enrichment that may not exist on this node): anything missing or malformed reads as unknown.
 */
export function geoOf(x: object): Geo | undefined {
  const r = x as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 80) : undefined);
  const country = str(r.country);
  const asn = typeof r.asn === "number" && Number.isFinite(r.asn) ? `AS${r.asn}` : str(r.asn);
  const org = str(r.org);
  return country || asn || org ? { country, asn, org } : undefined;
}

/** "DE · AS3320 Deutsche Telekom", or "" when nothing is known. */
export function geoText(g: Geo | undefined): string {
  if (!g) return "";
  const net = [g.asn, g.org].filter(Boolean).join(" ");
  return [g.country, net].filter(Boolean).join(" · ");
}

/** Whether a geo filter (free text, case-insensitive) matches: an empty filter matches everything. */
export function geoMatches(x: object, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return geoText(geoOf(x)).toLowerCase().includes(f);
}
