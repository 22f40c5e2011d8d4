import { Type, type Static } from "@sinclair/typebox";

/** ISO 3166-1 alpha-2, upper case: what `?country=` takes and `country` holds. */
export const CountryCode = Type.String({ pattern: "^[A-Z]{2}$", minLength: 2, maxLength: 2, description: "ISO 3166-1 alpha-2 country code, upper case (DE)" });

/** An autonomous system number (RFC 6793: 32 bits; 0 is never an origin, RFC 7607). */
export const AsNumber = Type.Integer({ minimum: 1, maximum: 4294967295, description: "autonomous system number" });

/**
 * What apid's offline databases say about an address (packages/enrich): on bans (a prefix: its
 * first address), trap sessions (their source) and explain. Absent when unknown: private and
 * reserved space, or a database missing on this node.
 */
export const EnrichFields = {
  country: Type.Optional(CountryCode),
  asn: Type.Optional(AsNumber),
  org: Type.Optional(Type.String({ maxLength: 128, description: "the autonomous system's organisation" })),
};

export const Enrichment = Type.Object(EnrichFields, { additionalProperties: false });
export type Enrichment = Static<typeof Enrichment>;
