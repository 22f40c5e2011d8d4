import { Type, type Static } from "@sinclair/typebox";
import { ModeChange } from "./control.ts";

/** Why a service says it is degraded; the counters behind it travel on `hm/v1/<svc>/metrics`. */
export const DEGRADED_CODES = ["enforcement_unavailable", "mesh_off", "trap_failed", "jail_source", "guard_unavailable"] as const;
export const Degraded = Type.Object(
  {
    code: Type.Union(DEGRADED_CODES.map((c) => Type.Literal(c))),
    /** For people: which trap, why the kernel program is unavailable. */
    detail: Type.String({ maxLength: 512 }),
  },
  { additionalProperties: false },
);
export type Degraded = Static<typeof Degraded>;

export const ModeSource = Type.Union([Type.Literal("config"), Type.Literal("operator")]);

/** enforcerd's enforcement state: what the kernel program does now, and where. */
export const EnforcementState = Type.Object(
  {
    mode: ModeChange.properties.mode,
    source: ModeSource,
    /** Whether XDP is attached somewhere (`active`) or not (`unavailable`, see `degraded`). */
    kernel: Type.Union([Type.Literal("active"), Type.Literal("unavailable")]),
    interfaces: Type.Array(Type.Object({ name: Type.String({ maxLength: 32 }), attach: Type.String({ maxLength: 16 }) }, { additionalProperties: false }), { maxItems: 64 }),
    /** The connection guard: `off` (no `[guard] ports`), `on`, or `unavailable` (see `degraded`). */
    guard: Type.Optional(Type.Union([Type.Literal("off"), Type.Literal("on"), Type.Literal("unavailable")])),
    guard_ports: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type EnforcementState = Static<typeof EnforcementState>;

/** `hm/v1/<svc>/health`: is the process alive and well. Counters are on `hm/v1/<svc>/metrics`. */
export const Health = Type.Object(
  {
    service: Type.String({ maxLength: 32 }),
    node: Type.String({ maxLength: 64 }),
    pid: Type.Integer({ minimum: 0 }),
    status: Type.Union([Type.Literal("ok"), Type.Literal("degraded")]),
    /** Empty when status is ok. */
    degraded: Type.Array(Degraded, { maxItems: 32 }),
    uptime_s: Type.Number({ minimum: 0 }),
    rss_bytes: Type.Integer({ minimum: 0 }),
    version: Type.String({ maxLength: 32 }),
    /** enforcerd only. */
    enforcement: Type.Optional(EnforcementState),
  },
  { additionalProperties: false },
);
export type Health = Static<typeof Health>;
