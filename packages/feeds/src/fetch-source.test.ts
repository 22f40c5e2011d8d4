import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FeedError } from "./errors.ts";
import { fetchSource } from "./fetch-source.ts";
import { intervalSeconds } from "./interval.ts";

let body = "192.0.2.1\n";
let etag = '"v1"';
const seen: Record<string, string | null>[] = [];
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    const u = new URL(req.url);
    seen.push({ inm: req.headers.get("if-none-match"), ims: req.headers.get("if-modified-since") });
    if (u.pathname === "/big") return new Response(new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(4096).fill(49)); } }));
    if (u.pathname === "/missing") return new Response("no", { status: 404 });
    if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304 });
    return new Response(body, { headers: { etag, "last-modified": "Sun, 30 Nov 2026 12:00:00 GMT" } });
  },
});
const dir = mkdtempSync(join(tmpdir(), "hm-feeds-"));
afterAll(() => {
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});
const opts = { maxBytes: 1 << 20, timeoutMs: 5000 };

describe("fetchSource", () => {
  test("HTTP is conditional: ETag and Last-Modified go back, 304 means unchanged", async () => {
    const url = `http://127.0.0.1:${server.port}/list`;
    const a = await fetchSource(url, {}, opts);
    expect(a.changed && a.text).toBe("192.0.2.1\n");
    const v = a.changed ? a.validators : {};
    expect(v).toEqual({ etag: '"v1"', lastModified: "Sun, 30 Nov 2026 12:00:00 GMT" });
    expect((await fetchSource(url, v, opts)).changed).toBe(false);
    expect(seen.at(-1)).toEqual({ inm: '"v1"', ims: "Sun, 30 Nov 2026 12:00:00 GMT" });
    body = "192.0.2.2\n";
    etag = '"v2"';
    const c = await fetchSource(url, v, opts);
    expect(c.changed && c.text).toBe("192.0.2.2\n");
  });

  test("a body over max_bytes is cut off with FEED_TOO_LARGE, even without Content-Length", async () => {
    const e = await fetchSource(`http://127.0.0.1:${server.port}/big`, {}, { maxBytes: 100_000, timeoutMs: 5000 }).catch((x) => x);
    expect(e).toBeInstanceOf(FeedError);
    expect((e as FeedError).code).toBe("FEED_TOO_LARGE");
  });

  test("HTTP errors and unsupported schemes are FeedErrors", async () => {
    expect(fetchSource(`http://127.0.0.1:${server.port}/missing`, {}, opts)).rejects.toThrow(/HTTP 404/);
    expect(fetchSource("ftp://example.org/x", {}, opts)).rejects.toThrow(/unsupported/);
  });

  test("file:// is unchanged while mtime and size are", async () => {
    const path = join(dir, "list.netset");
    writeFileSync(path, "192.0.2.3\n");
    const url = pathToFileURL(path).href;
    const a = await fetchSource(url, {}, opts);
    expect(a.changed).toBe(true);
    const v = a.changed ? a.validators : {};
    expect((await fetchSource(url, v, opts)).changed).toBe(false);
    writeFileSync(path, "192.0.2.44\n");
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect((await fetchSource(url, v, opts)).changed).toBe(true);
    expect(fetchSource(pathToFileURL(join(dir, "nope")).href, {}, opts)).rejects.toThrow(FeedError);
  });
});


test("intervalSeconds takes seconds and 1h-style strings within bounds", () => {
  expect(intervalSeconds("1h", "k")).toBe(3600);
  expect(intervalSeconds(90, "k")).toBe(90);
  expect(() => intervalSeconds("5", "k")).toThrow(FeedError);
  expect(() => intervalSeconds("1y", "k")).toThrow(FeedError);
});
