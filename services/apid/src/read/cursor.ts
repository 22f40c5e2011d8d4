/** Opaque cursors: the last key of a page, base64url so clients do not build them by hand. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string): { ok: true; key: string | number } | { ok: false } {
  if (cursor.length > 256) return { ok: false };
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    return typeof key === "string" || (typeof key === "number" && Number.isSafeInteger(key)) ? { ok: true, key } : { ok: false };
  } catch {
    return { ok: false };
  }
}
