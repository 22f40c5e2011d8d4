import { Type, type Static } from "@sinclair/typebox";

/** An operator's allowlist change (`hm/v1/apid/allow`); enforcerd owns the allowlist and applies it. */
export const AllowChange = Type.Object({
  action: Type.Union([Type.Literal("add"), Type.Literal("remove")]),
  cidr: Type.String({ minLength: 2, maxLength: 64 }),
  note: Type.String({ maxLength: 256 }),
  at: Type.Integer({ minimum: 0 }),
});
export type AllowChange = Static<typeof AllowChange>;

/** An operator's switch of the enforcement mode (`hm/v1/apid/mode`), applied without reloading XDP. */
export const ModeChange = Type.Object({
  mode: Type.Union([Type.Literal("test"), Type.Literal("enforce"), Type.Literal("lockdown")]),
  at: Type.Integer({ minimum: 0 }),
});
export type ModeChange = Static<typeof ModeChange>;
