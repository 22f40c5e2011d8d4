import type { Cursor } from "./object-source.ts";

/** What a Get Objects / Get Manifest / Get Object request asks (TAXII 2.1 §3.5 filtering, §3.4 pagination). */
export interface ObjectQuery {
  addedAfter?: number;
  limit: number;
  cursor?: Cursor;
  /** match[type]: the types asked for; undefined = any. */
  types?: string[];
  ids?: string[];
  /** match[version] timestamps (ms); undefined = every version (first, last, all: there is one). */
  versions?: number[];
  specVersions?: string[];
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const MAX_IDS = 100;

/** The opaque `next` of an envelope (§3.4): where the page after it starts. */
export function encodeNext(c: Cursor): string {
  return Buffer.from(`${c.added}\n${c.address}`).toString("base64url");
}

function decodeNext(s: string): Cursor | undefined {
  if (s.length > 200 || !/^[A-Za-z0-9_-]+$/.test(s)) return undefined;
  const [added, address, ...rest] = Buffer.from(s, "base64url").toString("utf8").split("\n");
  if (rest.length || !added || !/^\d{1,15}$/.test(added) || !address || address.length > 64) return undefined;
  return { added: Number(added), address };
}

const list = (v: string | null) => (v === null ? undefined : v.split(",").map((x) => x.trim()).filter(Boolean).slice(0, MAX_IDS));

/** Parses the URL's query; an error names the parameter (answered 400). */
export function parseObjectQuery(url: string): ObjectQuery | { error: string } {
  const q = new URL(url).searchParams;
  const out: ObjectQuery = { limit: DEFAULT_LIMIT };
  const after = q.get("added_after");
  if (after !== null) {
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(after) ? Date.parse(after) : NaN;
    if (!Number.isFinite(ms)) return { error: "added_after: expected a timestamp like 2026-01-31T12:00:00.000Z" };
    out.addedAfter = ms;
  }
  const limit = q.get("limit");
  if (limit !== null) {
    if (!/^\d{1,9}$/.test(limit) || Number(limit) < 1) return { error: "limit: expected a positive integer" };
    // §3.4: the server may return fewer than asked for; it never returns more.
    out.limit = Math.min(Number(limit), MAX_LIMIT);
  }
  const next = q.get("next");
  if (next !== null) {
    const c = decodeNext(next);
    if (!c) return { error: "next: not a value this server gave out" };
    out.cursor = c;
  }
  out.types = list(q.get("match[type]"));
  out.ids = list(q.get("match[id]"));
  out.specVersions = list(q.get("match[spec_version]"));
  const versions = list(q.get("match[version]"));
  if (versions && !versions.some((v) => v === "all" || v === "first" || v === "last")) {
    const ms = versions.map((v) => Date.parse(v));
    if (ms.some((m) => !Number.isFinite(m))) return { error: "match[version]: expected last, first, all or timestamps" };
    out.versions = ms;
  }
  return out;
}
