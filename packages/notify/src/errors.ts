export type NotifyErrorCode = "NOTIFY_SEND" | "NOTIFY_SMTP" | "NOTIFY_CONFIG";

/** The notify package's one error class; a failed delivery's message becomes the target's `last_error`. */
export class NotifyError extends Error {
  constructor(
    readonly code: NotifyErrorCode,
    message: string,
    /** Worth another attempt (network trouble, 5xx, 429, SMTP 4xx); a 4xx answer is not. */
    readonly retry = true,
  ) {
    super(message);
    this.name = "NotifyError";
  }
}
