import { t } from "elysia";

/** `?country=DE&asn=64496` on the list routes: strict, a bad value is a 400 naming the field. */
export const ENRICH_QUERY = {
  country: t.Optional(t.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2, upper case: only items whose address the offline database places there", error: "country: expected an ISO 3166-1 alpha-2 code in upper case (DE)" })),
  asn: t.Optional(t.Integer({ minimum: 1, maximum: 4294967295, description: "only items whose address this autonomous system announces", error: "asn: expected an integer 1..4294967295" })),
};
