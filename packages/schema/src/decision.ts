import { Type, type Static } from "@sinclair/typebox";
import { BanAddress } from "@honeymesh/ban/address";
import { EvidenceList } from "@honeymesh/ban/evidence";
import { Confidence } from "@honeymesh/ban/confidence";

/** Longest TTL a decision may carry: ten years. 0 means permanent. */
export const MAX_TTL_S = 315_360_000;

/** A write's id: the result on `hm/v1/enforcerd/result` answers to it. */
export const WriteId = Type.String({ minLength: 8, maxLength: 64, pattern: "^[A-Za-z0-9._:-]+$" });

/**
 * A ban decision (DESIGN §3). The schema bounds only the shape; enforcerd validates the meaning
 * (canonical address, /0, reason bits, TTL cap) so that each refusal has its own code.
 * An unban with `reasons` ≠ 0 lifts only those reasons: the ban stays for the others (`kept`).
 */
export const Decision = Type.Object({
  id: WriteId,
  action: Type.Union([Type.Literal("ban"), Type.Literal("unban")]),
  address: BanAddress,
  reasons: Type.Integer({ minimum: 0, maximum: 0xffff_ffff }),
  ttl_s: Type.Integer({ minimum: 0, maximum: 0xffff_ffff }),
  origin: Type.String({ minLength: 1, maxLength: 64 }),
  source: Type.String({ minLength: 1, maxLength: 32 }),
  evidence: EvidenceList,
  offence: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  /**
   * The class of evidence the decision rests on (DESIGN §3). scand and meshd always set it; absent
   * means verified (an operator's or an older producer's write), since only detectors see spoofable
   * packets and they say so.
   */
  confidence: Type.Optional(Confidence),
  /** Unix ms when the decision was made; tombstones compare against it. */
  at: Type.Integer({ minimum: 0 }),
  /** Unban scope: global (default) propagates through the mesh; local stays on this node. */
  scope: Type.Optional(Type.Union([Type.Literal("global"), Type.Literal("local")])),
});
export type Decision = Static<typeof Decision>;

let seq = 0;
/** A fresh write id: unique per process and time (`<prefix>:<ms36>:<seq36>:<rand>`). */
export function newWriteId(prefix: string): string {
  seq = (seq + 1) % 0x100000;
  return `${prefix}:${Date.now().toString(36)}:${seq.toString(36)}:${Math.floor(Math.random() * 0x10000).toString(36)}`;
}
