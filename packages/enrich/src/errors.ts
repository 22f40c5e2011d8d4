export type EnrichErrorCode = "ENRICH_DB_MISSING" | "ENRICH_DB_INVALID";

/**
 * The enrich package's one error class. Lookups never throw (a bad address is `undefined`); this
 * is what `status()` reports for a database that is missing or unreadable, with the file named.
 */
export class EnrichError extends Error {
  constructor(
    readonly code: EnrichErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EnrichError";
  }
}
