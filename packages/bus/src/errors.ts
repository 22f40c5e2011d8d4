export type BusErrorCode = "BUS_CONNECT" | "BUS_CLOSED" | "BUS_PUBLISH" | "BUS_SCHEMA";

export class BusError extends Error {
  override readonly name = "BusError";
  constructor(
    readonly code: BusErrorCode,
    message: string,
  ) {
    super(message);
  }
}
