import { canonicalAddress, type BanAddress } from "@honeymesh/ban/address";
import { AllowSet, type AllowSource } from "@honeymesh/ban/allowlist";
import { describeConfidence } from "@honeymesh/ban/confidence";
import type { Evidence } from "@honeymesh/ban/evidence";
import type { StoredSession } from "@honeymesh/tables/trapd-queries";
import type { BanReader, BanView } from "./ban-reader.ts";
import type { SessionReader } from "./owner-queries.ts";

export interface Explanation {
  address: BanAddress;
  /** True when some live ban drops it and no allowlist entry spares it. */
  blocked: boolean;
  /** Every live ban that covers the address: its own, and prefix bans containing it. */
  bans: BanView[];
  /** Allowlist entries that cover it (they win over every ban, in the kernel too). */
  allowlisted_by: { address: string; source: AllowSource }[];
  /** Protected-set entries covering it: automatic decisions leave it alone, operators need not. */
  protected_by: { address: string; source: AllowSource }[];
  tombstone: { at: number; origin: string } | null;
  /** Where the bans came from: nodes other than this one (mesh origins). */
  mesh_origins: string[];
  evidence: Evidence[];
  /** The most recent trap sessions from this address. */
  sessions: StoredSession[];
  summary: string;
}

const PROTECTED = new Set<AllowSource>(["resolver", "ntp", "peer", "session"]);

/** "What blocks this address, and why?" from enforcerd's store, the allowlist and trapd's sessions. */
export function explain(text: string, deps: { reader: BanReader; sessions: SessionReader; allow: () => { address: string; source: AllowSource }[]; nodeId: string }, now = Date.now()): { ok: true; value: Explanation } | { ok: false; reason: string } {
  const c = canonicalAddress(text);
  if (!c.ok) return { ok: false, reason: c.reason };
  if (c.address.kind !== "ip") return { ok: false, reason: `${c.address.text} is a prefix; explain takes one address` };
  const bans = deps.reader.containing(c.parsed, now).flatMap((a) => deps.reader.get(a) ?? []);
  const set = new AllowSet();
  const kept = new AllowSet();
  for (const e of deps.allow()) (PROTECTED.has(e.source) ? kept : set).add([e.address], e.source);
  const allowlisted_by = set.overlapping(c.parsed).map((e) => ({ address: e.text, source: e.source }));
  const protected_by = kept.overlapping(c.parsed).map((e) => ({ address: e.text, source: e.source }));
  const tomb = deps.reader.tombstone(c.address.text);
  const mesh_origins = [...new Set(bans.map((b) => b.origin).filter((o) => o !== deps.nodeId))];
  const evidence = bans.flatMap((b) => b.evidence).slice(0, 32);
  const sessions = deps.sessions.page({ src: c.address.text }, 20);
  const blocked = bans.length > 0 && allowlisted_by.length === 0;
  const summary = allowlisted_by.length
    ? `${c.address.text} is allowlisted (${allowlisted_by.map((e) => `${e.address}, ${e.source}`).join("; ")}): never dropped${bans.length ? `, although ${bans.length} ban${bans.length > 1 ? "s" : ""} cover it` : ""}`
    : bans.length
      ? `${c.address.text} is dropped by ${bans.map((b) => `${b.address.text} (${b.reasons.join(",")}, ${b.expires_at === 0 ? "permanent" : `until ${new Date(b.expires_at).toISOString()}`}, on ${describeConfidence(b.confidence)})`).join(", ")}`
      : `${c.address.text} is not banned${tomb ? `; unbanned at ${new Date(tomb.at).toISOString()} by ${tomb.origin}` : ""}`;
  const shield = protected_by.length ? `; protected (${protected_by.map((e) => `${e.address}, ${e.source}`).join("; ")}): automatic decisions ${protected_by.every((e) => e.source === "session") ? "on unverified evidence " : ""}leave it alone` : "";
  return { ok: true, value: { address: c.address, blocked, bans, allowlisted_by, protected_by, tombstone: tomb ?? null, mesh_origins, evidence, sessions, summary: summary + shield } };
}
