import { Type, type TSchema } from "@sinclair/typebox";
import { BanChange } from "./ban.ts";
import { AllowChange, ModeChange } from "./control.ts";
import { Decision } from "./decision.ts";
import { FeedResult, FeedUpdate } from "./feed.ts";
import { GuardObservation } from "./guard.ts";
import { Health } from "./health.ts";
import { JailFailure } from "./logd.ts";
import { Metrics } from "./metrics.ts";
import { MeshPeers } from "./mesh-peers.ts";
import { WriteResultBatch } from "./result.ts";
import type { BusIdentity } from "./services.ts";
import { SynObservation } from "./syn.ts";
import { TrapHit, TrapSessionBatch } from "./trap.ts";

/** Message kinds and their body schemas. A topic is `hm/v1/<producer>/<kind>`. */
export const KINDS = {
  health: Health,
  metrics: Metrics,
  decision: Decision,
  ban: BanChange,
  syn: SynObservation,
  /** enforcerd → scand: a source over the connection guard's rate (completed handshakes). */
  guard: GuardObservation,
  hit: TrapHit,
  session: TrapSessionBatch,
  allow: AllowChange,
  mode: ModeChange,
  result: WriteResultBatch,
  peers: MeshPeers,
  /** logd → scand: a jail reached maxretry for an address. */
  failure: JailFailure,
  /** External blocklist updates (apid → enforcerd) and their outcome (enforcerd → apid). */
  feed: FeedUpdate,
  feedresult: FeedResult,
  /** Free-form bodies for kinds whose owners have not fixed a schema yet; bounded anyway. */
  probe: Type.Object({ seq: Type.Integer({ minimum: 0 }), sent_ns: Type.Number() }),
} satisfies Record<string, TSchema>;
export type Kind = keyof typeof KINDS;

export const TOPIC_PREFIX = "hm/v1";

export function topic(producer: BusIdentity, kind: Kind): string {
  return `${TOPIC_PREFIX}/${producer}/${kind}`;
}

/** Splits `hm/v1/<producer>/<kind>`; undefined when the topic is not ours. */
export function parseTopic(t: string): { producer: string; kind: string } | undefined {
  const parts = t.split("/");
  if (parts.length !== 4 || parts[0] !== "hm" || parts[1] !== "v1") return undefined;
  return { producer: parts[2]!, kind: parts[3]! };
}
