export type F2bFilterErrorCode =
  | "F2B_NOT_FOUND"
  | "F2B_SYNTAX"
  | "F2B_INTERPOLATION"
  | "F2B_REGEX_UNSUPPORTED"
  | "F2B_REGEX_INVALID"
  | "F2B_DATEPATTERN"
  | "F2B_LIMIT"
  | "F2B_INCLUDE_LOOP";

/** Every refusal names the file (and where known the line or option) so an operator can fix it. */
export class F2bFilterError extends Error {
  override readonly name = "F2bFilterError";
  constructor(
    readonly code: F2bFilterErrorCode,
    message: string,
  ) {
    super(message);
  }
}
