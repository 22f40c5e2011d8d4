import { Type, type Static } from "@sinclair/typebox";

const Count = Type.Integer({ minimum: 0 });

export const HistoryPoint = Type.Object({
  t: Type.Integer({ description: "unix ms of the bucket's start" }),
  minutes: Type.Integer({ minimum: 1, description: "minutes recorded in the bucket (fewer when apid was not running)" }),
  bans_added: Count,
  bans_ended: Count,
  bans_active: Type.Integer({ minimum: 0, description: "at the end of the bucket's last recorded minute" }),
  decisions: Count,
  hits: Count,
  sessions: Count,
  xdp_dropped: Count,
  xdp_passed: Count,
});

/** `GET /v1/stats/history`: only buckets holding recorded minutes appear. */
export const History = Type.Object({ from: Type.Integer(), to: Type.Integer(), step: Type.Integer(), points: Type.Array(HistoryPoint) });
export type History = Static<typeof History>;
