import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { FeedError } from "./errors.ts";

/** What the last successful fetch said, so the next one can be conditional. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type Fetched = { changed: false } | { changed: true; text: string; bytes: number; validators: Validators };

export interface FetchOptions {
  maxBytes: number;
  timeoutMs: number;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Reads a feed from `file:///…` or `http(s)://…`, bounded in bytes and time. HTTP is conditional
 * (RFC 9110 §13.1: If-None-Match with the ETag, If-Modified-Since with Last-Modified; 304 = not
 * changed); a file counts as unchanged when its mtime and size are. Throws FeedError.
 */
export async function fetchSource(url: string, prev: Validators, o: FetchOptions): Promise<Fetched> {
  const u = new URL(url);
  if (u.protocol === "file:") return readFileSource(fileURLToPath(u), prev, o.maxBytes);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new FeedError("FEED_FETCH", `unsupported URL scheme ${u.protocol}`);
  const headers: Record<string, string> = { "user-agent": "honeymesh-feeds", ...o.headers };
  if (prev.etag) headers["if-none-match"] = prev.etag;
  if (prev.lastModified) headers["if-modified-since"] = prev.lastModified;
  let res: Response;
  try {
    res = await fetch(u, { headers, signal: AbortSignal.timeout(o.timeoutMs), redirect: "follow" });
  } catch (e) {
    throw new FeedError("FEED_FETCH", `GET ${u.origin}${u.pathname}: ${(e as Error).message}`);
  }
  if (res.status === 304) {
    await res.body?.cancel();
    return { changed: false };
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new FeedError("FEED_FETCH", `GET ${u.origin}${u.pathname}: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > o.maxBytes) {
    await res.body?.cancel();
    throw new FeedError("FEED_TOO_LARGE", `${declared} bytes declared, more than max_bytes ${o.maxBytes}`);
  }
  const text = await readCapped(res, o.maxBytes);
  const validators: Validators = {};
  const etag = res.headers.get("etag");
  const lm = res.headers.get("last-modified");
  if (etag) validators.etag = etag.slice(0, 256);
  if (lm) validators.lastModified = lm.slice(0, 64);
  return { changed: true, text, bytes: Buffer.byteLength(text), validators };
}

/** The body, aborted as soon as it passes the cap (a server may lie about or omit Content-Length). */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > maxBytes) {
      await reader.cancel();
      throw new FeedError("FEED_TOO_LARGE", `more than max_bytes ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

async function readFileSource(path: string, prev: Validators, maxBytes: number): Promise<Fetched> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new FeedError("FEED_FETCH", `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!st.isFile()) throw new FeedError("FEED_FETCH", `${path} is not a file`);
  if (st.size > maxBytes) throw new FeedError("FEED_TOO_LARGE", `${path} has ${st.size} bytes, more than max_bytes ${maxBytes}`);
  const tag = `${st.mtimeMs}:${st.size}`;
  if (prev.etag === tag) return { changed: false };
  const text = await Bun.file(path).text();
  return { changed: true, text, bytes: st.size, validators: { etag: tag } };
}
