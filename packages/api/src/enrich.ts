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

const Count = Type.Integer({ minimum: 0 });

/** `GET /v1/status` → `enrichment`: apid's offline databases (packages/enrich). */
export const EnrichmentStatus = Type.Object(
  {
    /** False until the first request that needs them (they are loaded on first use). */
    loaded: Type.Boolean(),
    /** Database files not found now (their fields are absent from answers). */
    missing: Type.Array(Type.String()),
    problems: Type.Array(Type.Object({ code: Type.String(), detail: Type.String() }, { additionalProperties: false })),
    load_ms: Count,
    ranges: Type.Object({ v4: Count, v6: Count, asns: Count, dropped: Count }, { additionalProperties: false }),
    counters: Type.Object({ lookups: Count, cache_hits: Count, found: Count, bad_input: Count, not_ready: Count }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type EnrichmentStatus = Static<typeof EnrichmentStatus>;
