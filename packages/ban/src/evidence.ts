import { Type, type Static } from "@sinclair/typebox";

/**
 * Why a ban exists, as structured items (DESIGN §3): what kind of observation, the ports or trap or
 * jail involved, counts, and a one-line summary for people. Structured so the mesh can share the
 * reason without the payload: the sanitizer keeps kind, ports, trap, jail and counts, and drops
 * anything that could carry attacker-controlled text.
 */
export const EVIDENCE_KINDS = ["trap", "scan", "bruteforce", "entropy", "subnet", "manual", "external", "mesh", "repeat", "jail", "guard", "other"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const Evidence = Type.Object(
  {
    kind: Type.Union(EVIDENCE_KINDS.map((k) => Type.Literal(k))),
    /** One line for people, e.g. "SCAN: ports 22,80,443 within 1.2 s". */
    summary: Type.String({ maxLength: 256 }),
    ports: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 65535 }), { maxItems: 16 })),
    /** The trap service touched (ssh, telnet, …). */
    trap: Type.Optional(Type.String({ maxLength: 16, pattern: "^[a-z0-9_]{1,16}$" })),
    /** The log jail that matched. */
    jail: Type.Optional(Type.String({ maxLength: 32, pattern: "^[A-Za-z0-9_.-]{1,32}$" })),
    /** How many observations (attempts, ports, lines) the item stands for. */
    count: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    /** Over how long, in seconds. */
    window_s: Type.Optional(Type.Number({ minimum: 0, maximum: 315_360_000 })),
  },
  { additionalProperties: false },
);
export type Evidence = Static<typeof Evidence>;

export const MAX_EVIDENCE = 16;
export const EvidenceList = Type.Array(Evidence, { maxItems: MAX_EVIDENCE });

export function evidence(kind: EvidenceKind, summary: string, extra: Omit<Evidence, "kind" | "summary"> = {}): Evidence {
  return { kind, summary: summary.slice(0, 256), ...extra };
}

/** Newest first, de-duplicated by summary, bounded. */
export function mergeEvidence(newer: readonly Evidence[], older: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of [...newer, ...older]) {
    if (seen.has(e.summary)) continue;
    seen.add(e.summary);
    out.push(e);
    if (out.length >= MAX_EVIDENCE) break;
  }
  return out;
}

const LABEL: Record<EvidenceKind, string> = {
  trap: "TRAP",
  scan: "SCAN",
  bruteforce: "BRUTEFORCE",
  entropy: "ENTROPY",
  subnet: "SUBNET",
  manual: "MANUAL",
  external: "EXTERNAL",
  mesh: "MESH",
  repeat: "REPEAT",
  jail: "JAIL",
  guard: "GUARD",
  other: "OTHER",
};

/**
 * A summary rebuilt from the structured fields alone (for evidence that arrived without its
 * text, e.g. from a peer): "SCAN: ports 22,80,443; 3 observations within 1.2 s".
 */
export function describeEvidence(e: Omit<Evidence, "summary">): string {
  const parts: string[] = [];
  if (e.trap) parts.push(`trap ${e.trap}`);
  if (e.jail) parts.push(`jail ${e.jail}`);
  if (e.ports?.length) parts.push(`port${e.ports.length > 1 ? "s" : ""} ${e.ports.join(",")}`);
  if (e.count !== undefined) parts.push(`${e.count} observation${e.count === 1 ? "" : "s"}${e.window_s !== undefined ? ` within ${e.window_s} s` : ""}`);
  return `${LABEL[e.kind]}${parts.length ? `: ${parts.join("; ")}` : ""}`.slice(0, 256);
}
