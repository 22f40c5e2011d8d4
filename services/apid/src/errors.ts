export type ApidErrorCode = "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "TOO_MANY" | "UNAVAILABLE" | "KEY";

const STATUS: Record<ApidErrorCode, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, TOO_MANY: 429, UNAVAILABLE: 503, KEY: 500 };

/** apid's one error class; the HTTP layer turns it into an RFC 9457 problem. */
export class ApidError extends Error {
  override readonly name = "ApidError";
  constructor(
    readonly code: ApidErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}
