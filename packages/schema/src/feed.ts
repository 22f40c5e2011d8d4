import { Type, type Static } from "@sinclair/typebox";
import { WriteId } from "./decision.ts";

/** A feed's name, as in `[feeds.<name>]`; it also names the bans (`source = feed:<name>`). */
export const FeedName = Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,26}$" });

/** Canonical address texts (prefixes, IPv6) of one feed part; bounded so a signed part stays under the bus's 64 KiB. */
const Addresses = Type.Array(Type.String({ minLength: 2, maxLength: 64 }), { maxItems: 4000 });

/**
 * One part of a feed update (apid → enforcerd, `hm/v1/apid/feed`): the diff between the feed's
 * last applied snapshot and the new one, in parts of bounded size. enforcerd collects the parts of
 * one `id` and applies them when `last` arrives as one transaction and one kernel batch, adds
 * before removes, so the swap leaves no gap and never doubles an entry. Bans are EXTERNAL, origin
 * this node, source `feed:<name>`, permanent until the feed drops the entry.
 */
export const FeedUpdate = Type.Object({
  id: WriteId,
  feed: FeedName,
  origin: Type.String({ minLength: 1, maxLength: 64 }),
  /** 0-based part number within the update; parts arrive in order on one connection (QoS 1). */
  part: Type.Integer({ minimum: 0, maximum: 100_000 }),
  last: Type.Boolean(),
  add: Addresses,
  remove: Addresses,
  /** Plain IPv4 addresses to add / remove, as base64 of big-endian 32-bit values (the bulk of a large list). */
  add_v4: Type.String({ maxLength: 40_000 }),
  remove_v4: Type.String({ maxLength: 40_000 }),
  /** Unix ms the snapshot was fetched. */
  at: Type.Integer({ minimum: 0 }),
});
export type FeedUpdate = Static<typeof FeedUpdate>;

const Count = Type.Integer({ minimum: 0 });

/** enforcerd's answer to a whole feed update (`hm/v1/enforcerd/feedresult`), by the update's id. */
export const FeedResult = Type.Object({
  id: WriteId,
  feed: FeedName,
  outcome: Type.Union([Type.Literal("applied"), Type.Literal("refused")]),
  /** Why a whole update was refused (parts missing or out of order, too many entries pending). */
  detail: Type.String({ maxLength: 512 }),
  added: Count,
  /** Already banned for another reason: EXTERNAL and the feed's evidence were added, the expiry kept. */
  merged: Count,
  unchanged: Count,
  removed: Count,
  /** Still banned for other reasons: only EXTERNAL was lifted. */
  reduced: Count,
  refused_allowlisted: Count,
  /** Resolvers, NTP servers, mesh peers (the protected set): a list may not cut the node off them. */
  refused_protected: Count,
  refused_bad_address: Count,
  refused_tombstoned: Count,
  kernel_rejected: Count,
  at: Type.Integer({ minimum: 0 }),
});
export type FeedResult = Static<typeof FeedResult>;
