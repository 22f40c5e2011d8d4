import { Type, type Static } from "@sinclair/typebox";
import { FeedResult } from "@honeymesh/schema/feed";

const Count = Type.Integer({ minimum: 0 });

/** One configured feed as `GET /v1/feeds` and `honeymesh feeds` show it. */
export const FeedStatus = Type.Object({
  name: Type.String(),
  /** The URL without user info or query (a LAPI key or token never shows). */
  url: Type.String(),
  format: Type.String(),
  refresh_s: Type.Number(),
  /** Entries of the list in force (the last snapshot enforcerd applied). */
  size: Count,
  /** Unix ms of the last fetch that succeeded (changed or not); null before the first. */
  fetched_at: Type.Union([Type.Integer(), Type.Null()]),
  /** Unix ms the list in force was applied; its age is now − applied_at. */
  applied_at: Type.Union([Type.Integer(), Type.Null()]),
  next_at: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  last_error_at: Type.Union([Type.Integer(), Type.Null()]),
  /** Lines of the last snapshot that were not an address or prefix. */
  invalid: Count,
  /** Entries of the last snapshot in or over private, loopback, link-local, multicast or reserved networks, left out (`ban_private = false`). */
  skipped_private: Count,
  /** What enforcerd did with the last applied update (refusals: allowlist, protected, tombstoned). */
  last_update: Type.Union([
    // The counts of enforcerd's own answer (`hm/v1/enforcerd/feedresult`), not a copy of them.
    Type.Pick(FeedResult, ["added", "merged", "unchanged", "removed", "reduced", "refused_allowlisted", "refused_protected", "refused_bad_address", "refused_tombstoned", "kernel_rejected"]),
    Type.Null(),
  ]),
});
export type FeedStatus = Static<typeof FeedStatus>;

export const FeedList = Type.Object({ items: Type.Array(FeedStatus) });
export type FeedList = Static<typeof FeedList>;
