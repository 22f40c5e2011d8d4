export type BusErrorCode = "BUS_CONNECT" | "BUS_PUBLISH";

export class BusError extends Error {
  override readonly name = "BusError";
  constructor(
    readonly code: BusErrorCode,
    message: string,
  ) {
    super(message);
  }
}
