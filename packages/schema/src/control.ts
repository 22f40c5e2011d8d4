import { Type, type Static } from "@sinclair/typebox";
import { BanAddress } from "@honeymesh/ban/address";
import { WriteId } from "./decision.ts";
export { WriteId };

export const MODES = ["test", "enforce", "lockdown"] as const;
export const Mode = Type.Union(MODES.map((m) => Type.Literal(m)));
export type Mode = Static<typeof Mode>;

/** An operator's allowlist change (`hm/v1/apid/allow`); enforcerd owns the allowlist and applies it. */
export const AllowChange = Type.Object({
  id: WriteId,
  action: Type.Union([Type.Literal("add"), Type.Literal("remove")]),
  address: BanAddress,
  note: Type.String({ maxLength: 256 }),
  at: Type.Integer({ minimum: 0 }),
});
export type AllowChange = Static<typeof AllowChange>;

/** An operator's switch of the enforcement mode (`hm/v1/apid/mode`), applied without reloading XDP. */
export const ModeChange = Type.Object({
  id: WriteId,
  mode: Mode,
  at: Type.Integer({ minimum: 0 }),
});
export type ModeChange = Static<typeof ModeChange>;
