import { Type, type Static, type TNumber, type TObject } from "@sinclair/typebox";
import { TRAP_SERVICES } from "./trap.ts";
import { REASON_NAMES } from "@honeymesh/ban/reasons";

/**
 * `hm/v1/<svc>/metrics` (DESIGN §2): typed counters and gauges, one section per service. Names
 * are bounded by the lists below; a per-reason counter is an object keyed by the known names, so
 * a consumer never parses names back out of strings. Counters are totals since the process
 * started (a restart resets them, as Prometheus expects).
 */

const Count = Type.Number({ minimum: 0 });

/** `{ [name]: count }` for exactly the names given; unknown names are refused by the schema. */
export function countsOf<const K extends readonly string[]>(names: K): TObject<{ [P in K[number]]: TNumber }> {
  return Type.Object(Object.fromEntries(names.map((n) => [n, Count])) as { [P in K[number]]: TNumber }, { additionalProperties: false });
}

/**
 * `true` only when two name unions are equal: a service asserts that its own counter keys and a
 * list below name the same things, so a new reason cannot go unreported (a compile error instead).
 */
export type SameNames<A extends string, B extends string> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Why a bus message or client was refused by a service's verifier (`hm_bus_rejected_total{reason}`). */
export const BUS_REJECT_REASONS = ["oversize", "malformed", "unknown_key", "signature", "topic_owner", "topic", "expired", "not_yet_valid", "replay", "unknown_kind", "schema", "overload", "handler_error", "auth", "acl"] as const;
/** Why the broker refused a client (busd). */
export const BROKER_REFUSALS = ["auth_unknown_user", "auth_bad_token", "acl_publish", "acl_subscribe"] as const;
/** Connections busd closed before or instead of serving them (unauthenticated holders, per-source and pending caps). */
export const BROKER_ADMISSION_DROPS = ["connect_timeout", "tcp_source_cap", "tcp_pending_cap", "tcp_cap"] as const;
/** Ban reason names as the kernel counts them per reason (DESIGN §3): the ban vocabulary's list. */
export const KERNEL_REASONS = REASON_NAMES;
/** Why enforcerd refused a decision. */
export const DECISION_REJECTS = ["bad_address", "kind_mismatch", "no_reasons", "unknown_reason_bits", "ttl_too_long", "allowlisted", "tombstoned", "protected", "observe_only", "kernel_write"] as const;
/** What applying an accepted decision did to the ban store. */
export const DECISION_APPLIED = ["added", "extended", "unchanged", "kept", "removed"] as const;
/** Why enforcerd refused an allowlist change. */
export const CONTROL_REJECTS = ["bad_address", "kind_mismatch", "allow_protected", "allow_absent"] as const;
/** Every trapd limit that closes or refuses a connection, or drops a finished session. */
export const TRAP_LIMITS = ["max_concurrent", "max_concurrent_per_source", "max_concurrent_per_prefix", "no_peer_address", "idle_timeout", "total_timeout", "byte_cap", "line_cap", "write_backlog", "evicted", "publish_backlog", "store_backlog"] as const;
/** scand: what happened to a source's observations, and to its decisions. */
/** `decided_unverified`: decisions resting on unverified evidence alone (also in `decided`); `observed`: unverified evidence counted, not decided on (`syn_only = observe`). */
export const SCAN_SOURCE_OUTCOMES = ["allowlisted", "already_banned", "decided", "decided_unverified", "observed", "bad_source"] as const;
export const SCAN_DECISION_OUTCOMES = ["published", "dropped_queue_full", "publish_failed"] as const;
/** meshd: why a peer's message was rejected (penalised) or ignored, and what local policy made of a fact. */
export const MESH_REJECTS = ["oversized", "malformed", "bad_signature", "wrong_cluster", "forged", "identity_mismatch", "future", "rate_limited", "prefix_too_short"] as const;
export const MESH_IGNORES = ["self", "stale", "superseded", "expired", "full", "rate_limited"] as const;
export const MESH_OUTCOMES = ["decided", "allowlisted", "observed", "waiting", "expired", "emit_failed"] as const;
export const MESH_SYNC = ["requested", "received", "served", "failed"] as const;
export const MESH_SHARED = ["ban", "unban"] as const;

/** Every service's own bus client, added by the runtime. */
export const BusMetrics = Type.Object(
  {
    /** Bodies published, and the signed messages that carried them: published ÷ signed is the batching factor. */
    published: Count,
    signed: Count,
    delivered: Count,
    /** Bodies waiting for the broker (queued behind a message not yet acknowledged, or while offline). */
    backlog: Count,
    /** Messages received and not yet handled (bounded; beyond it they are rejected as overload). */
    inbound: Count,
    rejected: countsOf(BUS_REJECT_REASONS),
  },
  { additionalProperties: false },
);
export type BusMetrics = Static<typeof BusMetrics>;

export const KernelMetrics = Type.Object(
  {
    passed: Count,
    dropped: Count,
    would_drop: Count,
    lockdown_dropped: Count,
    allowlist_passed: Count,
    syn_seen: Count,
    unparsed_passed: Count,
    scan_events: Count,
    ringbuf_full: Count,
    expired_passed: Count,
    /** IPv4 TCP tiny first / offset-1 fragments from non-allowlisted sources (RFC 1858, RFC 3128). */
    v4_frag_evasion: Count,
    /** IPv6 packets whose TCP header lies beyond the header walk or is cut from the first fragment (RFC 7112). */
    v6_l4_hidden: Count,
    /** Frames with more VLAN tags than the parser follows. */
    vlan_deep: Count,
    dropped_by_reason: countsOf(KERNEL_REASONS),
    would_drop_by_reason: countsOf(KERNEL_REASONS),
  },
  { additionalProperties: false },
);
export type KernelMetrics = Static<typeof KernelMetrics>;

const head = <S extends string>(service: S) => ({ service: Type.Literal(service), node: Type.String({ maxLength: 64 }), bus: BusMetrics });

export const BusdMetrics = Type.Object(
  {
    ...head("busd"),
    clients: Count,
    refused: countsOf(BROKER_REFUSALS),
    /** Open connections now: on the Unix socket, on TCP, and those (either) that have not yet authenticated. */
    connections: Type.Object({ unix: Count, tcp: Count, pending: Count }, { additionalProperties: false }),
    admission: countsOf(BROKER_ADMISSION_DROPS),
  },
  { additionalProperties: false },
);

export const TrapdMetrics = Type.Object(
  {
    ...head("trapd"),
    traps_listening: Count,
    traps_failed: Count,
    sessions_active: Count,
    sessions_accepted: countsOf(TRAP_SERVICES),
    sessions_finished: Count,
    sessions_stored: Count,
    sessions_pruned: Count,
    store_queued: Count,
    hits_published: Count,
    hits_coalesced: Count,
    sessions_published: Count,
    publish_failed: Count,
    publish_inflight: Count,
    drops: countsOf(TRAP_LIMITS),
  },
  { additionalProperties: false },
);

export const ScandMetrics = Type.Object(
  { ...head("scand"), tracked_sources: Count, queue_depth: Count, sources: countsOf(SCAN_SOURCE_OUTCOMES), decisions: countsOf(SCAN_DECISION_OUTCOMES) },
  { additionalProperties: false },
);

export const ReconcileMetrics = Type.Object(
  { store: Count, kernel_before: Count, written: Count, removed: Count, rejected: Count, ms: Count, read_store_ms: Count, read_kernel_ms: Count },
  { additionalProperties: false },
);

export const GuardMetrics = Type.Object(
  {
    /** Completed handshakes to guarded ports, from every source. */
    established: Count,
    /** ... of them from allowlisted sources, never counted against them. */
    allowed: Count,
    /** Sources reported over the rate (one per source per window). */
    reports: Count,
    ringbuf_full: Count,
  },
  { additionalProperties: false },
);

export const EnforcerdMetrics = Type.Object(
  {
    ...head("enforcerd"),
    active_bans: Count,
    allowlist_entries: Count,
    decisions: Type.Object(
      { applied: countsOf(DECISION_APPLIED), rejected: countsOf(DECISION_REJECTS), queue: Count, batches: Count, dropped_overload: Count },
      { additionalProperties: false },
    ),
    control_rejected: countsOf(CONTROL_REJECTS),
    /** Absent when no XDP program is attached or its counters could not be read. */
    kernel: Type.Optional(KernelMetrics),
    /** The connection guard's kernel counters; absent while it is not on. */
    guard: Type.Optional(GuardMetrics),
    /** The start-up reconciliation of kernel maps with the store; absent without a kernel. */
    reconcile: Type.Optional(ReconcileMetrics),
    /** Bans the XDP fast path made on its own: recorded in the store, refused (and lifted), lost to a full queue, and adopted by the running sweep after a counted ring-buffer loss. */
    fast_path: Type.Optional(Type.Object({ recorded: Count, refused: Count, lifted: Count, failed: Count, sweeps: Count, adopted: Count }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const MeshClusterMetrics = Type.Object(
  {
    name: Type.String({ maxLength: 64 }),
    /** This node's libp2p peer id in the cluster: a label, like `name`. */
    peer_id: Type.String({ maxLength: 128 }),
    live_bans: Count,
    live_tombstones: Count,
    mesh_subscribers: Count,
    /** Facts of peers not named in peer_trust (or named observe), kept apart from the trusted set. */
    observed_facts: Count,
    /** Inbound connections refused because their source already had upgrades pending. */
    inbound_refused: Count,
    /** This node's own facts waiting for the pacing (outbox), and those dropped unshared (queue full, or still waiting at stop). */
    outbox_queued: Count,
    outbox_dropped: Count,
    shared: countsOf(MESH_SHARED),
    rejected: countsOf(MESH_REJECTS),
    ignored: countsOf(MESH_IGNORES),
    outcomes: countsOf(MESH_OUTCOMES),
    sync: countsOf(MESH_SYNC),
  },
  { additionalProperties: false },
);

export const MeshdMetrics = Type.Object(
  {
    ...head("meshd"),
    peers_connected: Count,
    peers_misbehaving: Count,
    peers_quarantined: Count,
    msgs_in: Count,
    msgs_out: Count,
    msgs_rejected: Count,
    msgs_rate_limited: Count,
    penalties: Count,
    /** One entry per configured cluster; empty when the mesh is off. */
    clusters: Type.Array(MeshClusterMetrics, { maxItems: 16 }),
  },
  { additionalProperties: false },
);

export const ApidMetrics = Type.Object(
  {
    ...head("apid"),
    requests: Count,
    auth_failures: Count,
    stream_clients: Count,
    stream_dropped: Count,
    exported_rows: Count,
    tokens: Count,
  },
  { additionalProperties: false },
);

/** One jail of logd: its counters and the health of its log source. */
export const LogdJailMetrics = Type.Object(
  {
    jail: Type.String({ maxLength: 32 }),
    /** file paths / globs, or "journal". */
    source: Type.String({ maxLength: 512 }),
    lines: Count,
    failures: Count,
    ignored: Count,
    bans: Count,
    tracked: Count,
    /** Tracked addresses dropped because the jail's table was full (a flood of distinct sources). */
    evicted: Count,
    /** Unix ms of the last failure matched (0 = none yet). */
    last_match: Count,
    /** Unix ms of the last line read from the source (0 = none yet). */
    last_line: Count,
    source_ok: Type.Boolean(),
    /** Why the source is not ok (missing file, journalctl failed, silent for longer than silent_after). */
    source_detail: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LogdJailMetrics = Static<typeof LogdJailMetrics>;

export const LogdMetrics = Type.Object(
  { ...head("logd"), jails: Type.Array(LogdJailMetrics, { maxItems: 64 }), published: Count, publish_failed: Count },
  { additionalProperties: false },
);

/** The body of `hm/v1/<svc>/metrics`, discriminated by `service`. */
export const Metrics = Type.Union([BusdMetrics, TrapdMetrics, ScandMetrics, EnforcerdMetrics, MeshdMetrics, ApidMetrics, LogdMetrics]);
export type Metrics = Static<typeof Metrics>;

export type MetricsOf<S extends Metrics["service"]> = Extract<Metrics, { service: S }>;
/** What a service reports itself; the runtime adds service, node and bus. */
export type OwnMetrics<S extends Metrics["service"]> = Omit<MetricsOf<S>, "service" | "node" | "bus">;
