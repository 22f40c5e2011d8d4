export type ApidErrorCode = "BAD_REQUEST" | "UNAVAILABLE" | "KEY";

const STATUS: Record<ApidErrorCode, number> = { BAD_REQUEST: 400, UNAVAILABLE: 503, KEY: 500 };

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
