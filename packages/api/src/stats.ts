import { Type, type Static } from "@sinclair/typebox";

const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

/** `GET /v1/stats`: what the node has done, in counts. */
export const Stats = Type.Object({
  bans: Type.Object({
    active: Type.Integer({ minimum: 0 }),
    permanent: Type.Integer({ minimum: 0 }),
    by_reason: Counts,
    by_origin: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: "top 20" }),
    by_source: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: "top 20" }),
  }),
  unbans: Type.Integer({ minimum: 0, description: "tombstones kept" }),
  allowlist: Type.Integer({ minimum: 0, description: "operator entries" }),
  sessions: Type.Object({ total: Type.Integer({ minimum: 0 }), by_service: Counts }),
  peers: Type.Integer({ minimum: 0 }),
});
export type Stats = Static<typeof Stats>;
