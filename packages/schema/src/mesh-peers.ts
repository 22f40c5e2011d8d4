import { Type, type Static } from "@sinclair/typebox";

/**
 * meshd's connected peers (`hm/v1/meshd/peers`), published whenever the set changes: enforcerd
 * keeps them in the node's protected set (source `peer`), so no automatic decision can cut the
 * mesh by banning its members (DESIGN §3). The whole set each time, so a lost message heals.
 */
export const MeshPeers = Type.Object({
  addresses: Type.Array(Type.String({ minLength: 2, maxLength: 64 }), { maxItems: 1024 }),
  at: Type.Integer({ minimum: 0 }),
});
export type MeshPeers = Static<typeof MeshPeers>;
