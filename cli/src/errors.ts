export type CliErrorCode = "USAGE" | "NOT_RUNNING" | "ALREADY_RUNNING" | "START_FAILED";

/** Exit 2 for usage errors, 1 for everything operational (DESIGN §7). */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }
  get exitCode(): 1 | 2 {
    return this.code === "USAGE" ? 2 : 1;
  }
}
