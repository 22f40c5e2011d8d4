import { Type, type Static } from "@sinclair/typebox";

const Count = Type.Integer({ minimum: 0 });

/** One `[notify.<name>]` target as `GET /v1/notify` and `honeymesh notify` show it. */
export const NotifyTarget = Type.Object({
  name: Type.String(),
  type: Type.String(),
  events: Type.Array(Type.String()),
  accepted: Count,
  /** Events past the queue bound: not itemised, but counted in the next digest. */
  overflowed: Count,
  sent: Count,
  digests: Count,
  retried: Count,
  failed: Count,
  /** Messages dropped because the outbox was full. */
  dropped: Count,
  queued: Count,
  last_error: Type.Union([Type.String(), Type.Null()]),
  last_sent_at: Type.Union([Type.Integer(), Type.Null()]),
});
/** The syslog forwarder (`[syslog]`), null when it is off. */
export const SyslogStatus = Type.Union([Type.Object({ sent: Count, dropped: Count, errors: Count, last_error: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]);
/** One `[report.<name>]` target (AbuseIPDB-style reporting): sent, failed, and bans kept back by rule. */
export const ReportTarget = Type.Object({
  name: Type.String(),
  type: Type.String(),
  host: Type.String(),
  sent: Count,
  failed: Count,
  retried: Count,
  queued: Count,
  /** Bans not reported, by rule: not_local, unverified, external, prefix, excluded, no_category, recent, queue_full. */
  skipped: Type.Record(Type.String(), Count),
  last_error: Type.Union([Type.String(), Type.Null()]),
  last_sent_at: Type.Union([Type.Integer(), Type.Null()]),
});
export const NotifyList = Type.Object({ items: Type.Array(NotifyTarget), syslog: SyslogStatus, reports: Type.Array(ReportTarget) });
export type NotifyList = Static<typeof NotifyList>;

export const NotifyTestAnswer = Type.Object({ name: Type.String(), delivered: Type.Boolean(), detail: Type.String() });
export type NotifyTestAnswer = Static<typeof NotifyTestAnswer>;
