export type KeysErrorCode = "KEYS_LOCKED" | "KEYS_IO" | "KEYS_MISSING" | "KEYS_INVALID";

export class KeysError extends Error {
  override readonly name = "KeysError";
  constructor(
    readonly code: KeysErrorCode,
    message: string,
  ) {
    super(message);
  }
}
