import type { Ban, BanPage } from "@honeymesh/api/bans";
import type { ApiClient } from "../api/client.ts";
import { renderTable } from "../table.ts";
import { color, expiry, fail, isProblem, printJson } from "./api-output.ts";
import { geoCells } from "./geo-flags.ts";

/** `honeymesh bans`: active bans, newest filters of the API; pages until --limit rows. */
export async function bansCommand(api: ApiClient, opts: { json: boolean; limit: number; reason?: string; origin?: string; contains?: string; state?: string; country?: string; asn?: string }): Promise<number> {
  const items: Ban[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: String(Math.min(1000, opts.limit - items.length)) });
    for (const k of ["reason", "origin", "contains", "state", "country", "asn"] as const) if (opts[k]) q.set(k, opts[k]!);
    if (cursor) q.set("cursor", cursor);
    const r = await api.call<BanPage>("GET", `/v1/bans?${q}`);
    if (isProblem(r)) return fail(r);
    items.push(...r.data.items);
    cursor = r.data.next_cursor;
  } while (cursor && items.length < opts.limit);
  if (opts.json) {
    printJson(items);
    return 0;
  }
  if (items.length === 0) {
    process.stdout.write("no bans\n");
    return 0;
  }
  const now = Date.now();
  process.stdout.write(renderTable(["ADDRESS", "REASONS", "EXPIRES", "ORIGIN", "SOURCE", "OFFENCE", "EVIDENCE", "COUNTRY", "ASN", "ORG"], items.map((b) => [b.address.text, color(33, b.reasons.join(",")), expiry(b.expires_at, now), b.origin, b.source, String(b.offence), b.confidence, ...geoCells(b)])));
  if (cursor) process.stdout.write(`(more: raise --limit, or use honeymesh export)\n`);
  return 0;
}
