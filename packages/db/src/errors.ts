export type DbErrorCode = "DB_OPEN" | "DB_MIGRATE";

export class DbError extends Error {
  override readonly name = "DbError";
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message);
  }
}
