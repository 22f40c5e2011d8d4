// Shapes of apid's answers (services/apid/src/routes/*), as the dashboard reads them. They mirror
// the server's JSON, not its TypeBox schemas, so the browser bundle stays free of server code.

export type Scope = "read" | "write" | "admin";
export type Mode = "test" | "enforce" | "lockdown";
export const MODES: readonly Mode[] = ["test", "enforce", "lockdown"];
export const REASON_NAMES = ["TRAP", "SCAN", "MESH", "MANUAL", "ENTROPY", "BRUTEFORCE", "EXTERNAL"] as const;
export type ReasonName = (typeof REASON_NAMES)[number];

/** The reason bits of DESIGN §3, for masks that arrive as numbers (decisions, ban changes). */
export function reasonNames(mask: number): ReasonName[] {
  return REASON_NAMES.filter((_, i) => (mask & (1 << i)) !== 0);
}

export interface WhoAmI {
  name: string;
  scope: Scope;
  node: string;
}

export interface Ban {
  value: string;
  target: "ip" | "cidr";
  reasons: ReasonName[];
  reason_mask: number;
  /** Unix ms; 0 = permanent. */
  expires_at: number;
  created_at: number;
  updated_at: number;
  origin: string;
  source: string;
  offence: number;
  evidence: string[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ServiceStatus {
  name: string;
  up: boolean;
  status: string | null;
  pid: number | null;
  uptime_s: number | null;
  rss_bytes: number | null;
  last_health_s: number | null;
  /** Why the service says it is degraded (empty when ok). */
  degraded: { code: string; detail: string }[];
}

/** Per ban reason name (TRAP, SCAN, …), as enforcerd's metrics carry them. */
export type ByReason = Record<string, number>;

export interface KernelCounters {
  passed: number;
  dropped: number;
  would_drop: number;
  syn_seen: number;
  scan_events: number;
  dropped_by_reason: ByReason;
  would_drop_by_reason: ByReason;
}

export interface Status {
  node: string;
  services: ServiceStatus[];
  enforcement: { state: string; mode: Mode | null; mode_source: string | null; note: string | null; interfaces: { name: string; attach: string }[] };
  /** enforcerd's kernel counters (its typed metrics); null without an attached XDP program. */
  kernel: KernelCounters | null;
  active_bans: number;
}

export interface Stats {
  bans: { active: number; permanent: number; by_reason: Record<string, number>; by_origin: Record<string, number>; by_source: Record<string, number> };
  unbans: number;
  allowlist: number;
  sessions: { total: number; by_service: Record<string, number> };
  peers: number;
}

export interface Credential {
  method: string;
  username: string;
  password?: string;
  key_fingerprint?: string;
}

/** A closed trap session as trapd stored it (`/v1/events`). */
export interface Session {
  session_id: string;
  service: string;
  src: string;
  src_port: number;
  dst_port: number;
  started_at: number;
  ended_at: number;
  bytes_in: number;
  credentials: Credential[];
  commands: string[];
  entropy: number;
  meta: Record<string, string>;
  end_reason: string;
}

export interface Peer {
  peer_id: string;
  cluster: string;
  node_id: string | null;
  trust: string;
  address: string | null;
  connected: number | boolean;
  first_seen: number;
  last_seen: number;
  msgs_in: number;
  msgs_out: number;
  rejected: number;
  rate_limited: number;
  score: number;
  last_reject: string | null;
}

export interface AllowList {
  operator: { cidr: string; note: string; created_at: number }[];
  fixed: string[];
}

// Live events (`/v1/stream`).
export interface HitEvent {
  session_id: string;
  service: string;
  src: string;
  src_port: number;
  dst_port: number;
  at: number;
}
export interface DecisionEvent {
  action: "ban" | "unban";
  target: "ip" | "cidr";
  value: string;
  reasons: number;
  ttl_s: number;
  origin: string;
  source: string;
  evidence: string[];
  offence: number;
  at: number;
  scope?: "global" | "local";
}
export interface BanEvent {
  change: "added" | "extended" | "removed" | "expired";
  value: string;
  reasons: number;
  expires_at: number;
  origin: string;
  offence: number;
  evidence: string[];
  at: number;
  scope?: "global" | "local";
}
export type LiveEvent =
  | { kind: "hit"; id: number; received: number; data: HitEvent }
  | { kind: "decision"; id: number; received: number; data: DecisionEvent }
  | { kind: "ban"; id: number; received: number; data: BanEvent };

/** RFC 9457 problem details, as apid answers every error. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  reason?: string;
}
