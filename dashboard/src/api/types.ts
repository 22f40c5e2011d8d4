// Shapes of apid's answers, derived from the API's own TypeBox schemas (packages/api, the ones apid
// declares on its routes and documents at /docs). Type-only imports: the schemas themselves and
// any server code stay out of the browser bundle (`import type` is erased by the build).
import type { AllowEntry as AllowEntryT, AllowList as AllowListT } from "@honeymesh/api/allowlist";
import type { Ban as BanT, ReasonName as ReasonNameT } from "@honeymesh/api/bans";
import type { Peer as PeerT, StoredSession } from "@honeymesh/api/events";
import type { Explanation as ExplanationT } from "@honeymesh/api/explain";
import type { History as HistoryT } from "@honeymesh/api/history";
import type { Problem as ProblemT } from "@honeymesh/api/problem";
import type { Stats as StatsT } from "@honeymesh/api/stats";
import type { BanChange, Decision, TrapHit } from "@honeymesh/api/stream";
import type { WhoAmI as WhoAmIT } from "@honeymesh/api/whoami";
import type { PendingAnswer, WriteAnswer as WriteAnswerT } from "@honeymesh/api/writes";
import type { Evidence as EvidenceT } from "@honeymesh/ban/evidence";

export type Scope = "read" | "write" | "admin";
export type Mode = "test" | "enforce" | "lockdown";
export const MODES: readonly Mode[] = ["test", "enforce", "lockdown"];
// Runtime values from the ban vocabulary itself (a tiny pure module), not a copy.
export { REASON_NAMES, reasonMask, reasonNames } from "@honeymesh/ban/reasons";
export type ReasonName = ReasonNameT;

export type WhoAmI = WhoAmIT;
export type Ban = BanT;
export type Evidence = EvidenceT;
export type Explanation = ExplanationT;
export type WriteAnswer = WriteAnswerT | PendingAnswer;
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// /v1/status is being retyped on another branch; this stays hand-written until it lands.
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

export type Stats = StatsT;
export type History = HistoryT;
export type HistoryPoint = HistoryT["points"][number];
export type Credential = StoredSession["credentials"][number];
/** A closed trap session as trapd stored it (`/v1/events`). */
export type Session = StoredSession;
export type Peer = PeerT;
export type AllowEntry = AllowEntryT;
export type AllowList = AllowListT;

// Live events (`/v1/stream`): the bus messages as they are.
export type HitEvent = TrapHit;
export type DecisionEvent = Decision;
export type BanEvent = BanChange;
/** `backfill`: read from the lists on load (the event happened before the page opened). */
export type LiveEvent =
  | { kind: "hit"; id: number; received: number; backfill?: boolean; data: HitEvent }
  | { kind: "decision"; id: number; received: number; backfill?: boolean; data: DecisionEvent }
  | { kind: "ban"; id: number; received: number; backfill?: boolean; data: BanEvent };

/**
 * Where an address is (country, ASN, organisation): optional fields apid may add to bans and
 * sessions. Read defensively: absent, null or not a string/number means "not known".
 */
export interface Geo {
  country?: string;
  asn?: string;
  org?: string;
}

/** RFC 9457 problem details, as apid answers every error (only what the dashboard reads). */
export type Problem = Pick<ProblemT, "status" | "reason"> & { title?: string; detail?: string };
