export type ConfigErrorCode = "CONFIG_READ" | "CONFIG_PARSE" | "CONFIG_INVALID";

/** The one error class of this package. The message names the key, the value and what is allowed. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    readonly key?: string,
  ) {
    super(message);
  }
}
