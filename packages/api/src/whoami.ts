import { Type, type Static } from "@sinclair/typebox";

/** `GET /v1/whoami`: the calling token's name and scope, and the node it talks to. */
export const WhoAmI = Type.Object({
  name: Type.String(),
  scope: Type.Union([Type.Literal("read"), Type.Literal("write"), Type.Literal("admin"), Type.Literal("bouncer")]),
  node: Type.String(),
});
export type WhoAmI = Static<typeof WhoAmI>;
