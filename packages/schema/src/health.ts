import { Type, type Static } from "@sinclair/typebox";

export const Health = Type.Object({
  service: Type.String({ maxLength: 32 }),
  node: Type.String({ maxLength: 64 }),
  pid: Type.Integer({ minimum: 0 }),
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded")]),
  uptime_s: Type.Number({ minimum: 0 }),
  rss_bytes: Type.Integer({ minimum: 0 }),
  version: Type.String({ maxLength: 32 }),
  /** Service-specific facts (enforcement mode, counters, the reason it is degraded). */
  details: Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 512 }), Type.Number(), Type.Boolean()])),
});
export type Health = Static<typeof Health>;
