/**
 * Trust in a peer's decisions (DESIGN §5): `observe` logs them, `enforce` applies them,
 * `corroborate:k` applies one once k distinct origins hold the same live decision.
 */
export type Trust = { level: "observe" } | { level: "enforce" } | { level: "corroborate"; k: number };

export function parseTrust(raw: string): Trust {
  if (raw === "enforce") return { level: "enforce" };
  const m = /^corroborate:([0-9]{1,2})$/.exec(raw);
  // k of 0 or 1 needs no second opinion: the same as enforce.
  if (m) return Number(m[1]) <= 1 ? { level: "enforce" } : { level: "corroborate", k: Number(m[1]) };
  return { level: "observe" };
}

export function trustLabel(t: Trust): string {
  return t.level === "corroborate" ? `corroborate:${t.k}` : t.level;
}

export type TrustVerdict = "apply" | "observe" | "wait";

/** What to do with a decision from a peer at `trust`, given how many distinct origins agree. */
export function judge(trust: Trust, agreeing: number): TrustVerdict {
  if (trust.level === "enforce") return "apply";
  if (trust.level === "observe") return "observe";
  return agreeing >= trust.k ? "apply" : "wait";
}

export class TrustMap {
  constructor(
    private readonly defaultTrust: Trust,
    private readonly perPeer: ReadonlyMap<string, Trust>,
  ) {}

  of(peerId: string): Trust {
    return this.perPeer.get(peerId) ?? this.defaultTrust;
  }

  /**
   * True for a peer named in `peer_trust` above `observe`: only those count towards
   * corroboration and have their facts in the trusted live set. Anyone holding the cluster key
   * can mint any number of peer ids, so an unnamed id is worth no more than `observe` there.
   */
  named(peerId: string): boolean {
    const t = this.perPeer.get(peerId);
    return t !== undefined && t.level !== "observe";
  }
}
