import { Type, type Static } from "@sinclair/typebox";
import { BanChange } from "@honeymesh/schema/ban";
import { Decision } from "@honeymesh/schema/decision";
import { TrapHit } from "@honeymesh/schema/trap";

export { BanChange, Decision, TrapHit };

/**
 * `GET /v1/stream` is text/event-stream: `event: hit|decision|ban`, `id`, and `data:` holding a
 * TrapHit, a Decision or a BanChange (the bus messages as they are). This schema documents those.
 */
export const StreamData = Type.Union([TrapHit, Decision, BanChange], { description: "text/event-stream; event hit → TrapHit, decision → Decision, ban → BanChange (bus shapes)" });
export type StreamData = Static<typeof StreamData>;
