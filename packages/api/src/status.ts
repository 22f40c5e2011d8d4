import { Type, type Static } from "@sinclair/typebox";
import { Degraded } from "@honeymesh/schema/health";
import { KernelMetrics, Metrics } from "@honeymesh/schema/metrics";
import { ModeChange } from "@honeymesh/schema/control";
import { SERVICES } from "@honeymesh/schema/services";
import { EnrichmentStatus } from "./enrich.ts";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ServiceStatus = Type.Object({
  name: Type.Union(SERVICES.map((s) => Type.Literal(s))),
  up: Type.Boolean(),
  status: Nullable(Type.Union([Type.Literal("ok"), Type.Literal("degraded")])),
  degraded: Type.Array(Degraded),
  pid: Nullable(Type.Integer()),
  uptime_s: Nullable(Type.Number()),
  rss_bytes: Nullable(Type.Integer()),
  last_health_s: Nullable(Type.Number()),
  /** The service's last `hm/v1/<svc>/metrics`, null before the first one. */
  metrics: Nullable(Metrics),
});

/** `GET /v1/status`. */
export const StatusAnswer = Type.Object({
  node: Type.String(),
  services: Type.Array(ServiceStatus),
  enforcement: Type.Object({
    /** `active`, `unavailable: <why>`, or `unknown` before enforcerd's first health. */
    state: Type.String(),
    mode: Nullable(ModeChange.properties.mode),
    mode_source: Nullable(Type.Union([Type.Literal("config"), Type.Literal("operator")])),
    note: Nullable(Type.String()),
    interfaces: Type.Array(Type.Object({ name: Type.String(), attach: Type.String() })),
    /** The connection guard: `off`, `on: <ports>`, `unavailable: <why>`, or null before enforcerd's first health. */
    guard: Nullable(Type.String()),
  }),
  /** enforcerd's kernel counters; null without an attached XDP program. */
  kernel: Nullable(KernelMetrics),
  active_bans: Type.Integer({ minimum: 0 }),
  /** apid's country/ASN databases: loaded, missing files, counters. */
  enrichment: Type.Optional(EnrichmentStatus),
});
export type StatusAnswer = Static<typeof StatusAnswer>;


/** `GET /v1/health` (no auth): apid itself is serving. */
export const HealthAnswer = Type.Object({ status: Type.Literal("ok"), service: Type.Literal("apid"), node: Type.String(), version: Type.String() });
export type HealthAnswer = Static<typeof HealthAnswer>;
