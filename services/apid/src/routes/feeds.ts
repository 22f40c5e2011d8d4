import { needs } from "../auth/scope.ts";
import { Elysia } from "elysia";
import { FeedList } from "@honeymesh/api/feeds";
import { COMMON_PROBLEMS } from "@honeymesh/api/problem";
import type { FeedManager } from "../feeds/feed-manager.ts";
import { json } from "../http/respond.ts";

/** `GET /v1/feeds`: each configured blocklist feed, its size, age and last error. */
export function feedRoutes(feeds: FeedManager) {
  return new Elysia({ name: "feeds", normalize: false }).get("/v1/feeds", () => json({ items: feeds.list() }), {
    response: { 200: FeedList, ...COMMON_PROBLEMS },
    detail: { ...needs("read"), summary: "External blocklist feeds: size, when fetched and applied, last error, what the last update did", tags: ["feeds"] },
  });
}
