/** trapd's one error class: failures at start (bind, host key, store). Hot paths return values instead. */
export class TrapdError extends Error {
  constructor(
    readonly code: "TRAPD_BIND" | "TRAPD_HOST_KEY",
    message: string,
  ) {
    super(message);
    this.name = "TrapdError";
  }
}
