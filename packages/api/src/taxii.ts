import { Type, type Static } from "@sinclair/typebox";

/**
 * The TAXII 2.1 resources apid serves (OASIS TAXII 2.1, §4 and §5), as the spec defines their
 * properties: required ones required, optional ones optional, extra ones allowed (§3.1.2 lets
 * servers add custom properties). Tests check apid's answers against these.
 */

/** A STIX/TAXII timestamp (RFC 3339, UTC, "Z"); TAXII 2.1 §3.1.1. */
export const TaxiiTimestamp = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$" });

/** §4.1.1 discovery resource. */
export const TaxiiDiscovery = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  contact: Type.Optional(Type.String()),
  default: Type.Optional(Type.String()),
  api_roots: Type.Optional(Type.Array(Type.String())),
});
export type TaxiiDiscovery = Static<typeof TaxiiDiscovery>;

/** §4.2.1 api-root resource. */
export const TaxiiApiRoot = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  versions: Type.Array(Type.String(), { minItems: 1 }),
  max_content_length: Type.Integer({ minimum: 0 }),
});
export type TaxiiApiRoot = Static<typeof TaxiiApiRoot>;

/** §5.2.1 collection resource. */
export const TaxiiCollection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  alias: Type.Optional(Type.String()),
  can_read: Type.Boolean(),
  can_write: Type.Boolean(),
  media_types: Type.Optional(Type.Array(Type.String())),
});
export type TaxiiCollection = Static<typeof TaxiiCollection>;

/** §5.1.1 collections resource. */
export const TaxiiCollections = Type.Object({ collections: Type.Optional(Type.Array(TaxiiCollection)) });
export type TaxiiCollections = Static<typeof TaxiiCollections>;

/** §3.7 envelope: one page of STIX objects. */
export const TaxiiEnvelope = Type.Object({
  more: Type.Optional(Type.Boolean()),
  next: Type.Optional(Type.String()),
  objects: Type.Optional(Type.Array(Type.Object({ type: Type.String(), id: Type.String(), spec_version: Type.String() }))),
});
export type TaxiiEnvelope = Static<typeof TaxiiEnvelope>;

/** §5.4.1 manifest-record and manifest resource. */
export const TaxiiManifestRecord = Type.Object({
  id: Type.String(),
  date_added: TaxiiTimestamp,
  version: Type.String(),
  media_type: Type.Optional(Type.String()),
});
export const TaxiiManifest = Type.Object({
  more: Type.Optional(Type.Boolean()),
  next: Type.Optional(Type.String()),
  objects: Type.Optional(Type.Array(TaxiiManifestRecord)),
});
export type TaxiiManifest = Static<typeof TaxiiManifest>;

/** §3.6.1 error message. */
export const TaxiiErrorMessage = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  error_id: Type.Optional(Type.String()),
  error_code: Type.Optional(Type.String()),
  http_status: Type.Optional(Type.String()),
  external_details: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type TaxiiErrorMessage = Static<typeof TaxiiErrorMessage>;
