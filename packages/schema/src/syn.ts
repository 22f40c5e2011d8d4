import { Type, type Static } from "@sinclair/typebox";

/** A kernel observation: a source crossed the distinct-port threshold within the window. */
export const SynObservation = Type.Object({
  src: Type.String({ maxLength: 64 }),
  ports: Type.Array(Type.Integer({ minimum: 0, maximum: 65535 }), { maxItems: 64 }),
  port_count: Type.Integer({ minimum: 0 }),
  window_s: Type.Integer({ minimum: 1 }),
  at: Type.Integer({ minimum: 0 }),
  /** The XDP fast path already banned the source at this crossing (SCAN, `[scan] unverified_ttl_s`). */
  kernel_banned: Type.Optional(Type.Boolean()),
});
export type SynObservation = Static<typeof SynObservation>;
