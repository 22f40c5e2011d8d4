import { CliError } from "../errors.ts";

/** `--country DE` (any case) and `--asn 64496` / `--asn AS64496`, checked before any request. */
export function geoFlags(country: string | undefined, asn: string | undefined): { country?: string; asn?: string } {
  const out: { country?: string; asn?: string } = {};
  if (country !== undefined) {
    const c = country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(c)) throw new CliError("USAGE", `--country ${country}: expected an ISO 3166-1 alpha-2 code (DE, US, ...)`);
    out.country = c;
  }
  if (asn !== undefined) {
    const digits = asn.trim().replace(/^AS/i, "");
    const n = Number(digits);
    if (!/^[1-9][0-9]{0,9}$/.test(digits) || n > 4294967295) throw new CliError("USAGE", `--asn ${asn}: expected an AS number 1..4294967295 (64496 or AS64496)`);
    out.asn = String(n);
  }
  return out;
}

/** Table cells for an item's enrichment: country, AS number, organisation (cut to fit a column). */
export function geoCells(e: { country?: string; asn?: number; org?: string }): [string, string, string] {
  const org = e.org ?? "";
  return [e.country ?? "-", e.asn !== undefined ? `AS${e.asn}` : "-", org.length > 24 ? `${org.slice(0, 23)}…` : org || "-"];
}
