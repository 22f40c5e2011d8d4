/** Expected failures are values with an exact, operator-readable reason. */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };
