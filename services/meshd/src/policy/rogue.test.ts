import { describe, expect, test } from "bun:test";
import { FactSet } from "../facts/fact-set.ts";
import type { Fact } from "../facts/fact.ts";
import { admit, decide, type AdmitContext } from "./admit.ts";
import { MeshAllowlist } from "./allowlist.ts";
import { RateLimiter } from "./rate-limit.ts";
import { parseTrust, TrustMap } from "./trust.ts";

// What a peer that holds the cluster key but is hostile can and cannot do to this node's policy.
const GOOD1 = "12D3KooWA9nqbBk5wb2J2PnBcpdmh3Px6AGxbnzRRNRpxSE7Ur3R";
const GOOD2 = "12D3KooWKcSCyvU3fT2r8zp9NxgJM41samCC9pjYCwFio6Cwy95G";
const ME = "12D3KooWPjceQrSwdWXPyLLeABRXmuqt69Rg3sBYbU1Nft9HyQ6X";
const rogueId = (i: number) => `12D3KooWRogue${String(i).padStart(4, "0")}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.slice(0, 52);
const now = Date.now();
const X = "198.51.100.7";
const fact = (p: string, over: Partial<Fact> = {}): Fact => ({ v: 2, c: "x", k: "ban", address: { kind: "ip", text: X }, r: 2, ttl: 600, o: `n-${p.slice(-6)}`, p, at: now, off: 1, ev: [], ...over });

function node(defaultTrust: string, named: Record<string, string>, maxFacts = 1000) {
  const trust = new TrustMap(parseTrust(defaultTrust), new Map(Object.entries(named).map(([p, t]) => [p, parseTrust(t)])));
  const set = new FactSet(86_400_000, maxFacts);
  const observed = new FactSet(86_400_000, 50);
  const ctx: AdmitContext = {
    cluster: "x",
    selfPeer: ME,
    selfNode: "me",
    setFor: (p) => (trust.named(p) ? set : observed),
    limiter: new RateLimiter(1000, 100_000),
    cidrLimiter: new RateLimiter(1, 3),
    minPrefix: { v4: 24, v6: 48 },
    bindNode: () => true,
  };
  const arrive = (f: Fact, via: "gossip" | "sync" = "gossip") => admit(ctx, { fact: f, wire: "w", source: f.p, via, author: f.p }, now);
  const policy = { cluster: "x", trust, allow: new MeshAllowlist([]), ttlCapS: 86_400, set };
  return { trust, set, observed, arrive, decide: (f: Fact) => decide(policy, f, now) };
}

describe("mesh trust against a key holder", () => {
  test("corroborate:2 is not met by any number of self-made ids, only by two named peers", () => {
    const n = node("corroborate:2", { [GOOD1]: "corroborate:2", [GOOD2]: "corroborate:2" });
    for (let i = 0; i < 5; i++) expect(n.arrive(fact(rogueId(i))).result).toBe("accept");
    expect(n.decide(fact(rogueId(4)))).toEqual({ skipped: "waiting" });
    expect(n.arrive(fact(GOOD1)).result).toBe("accept");
    expect(n.decide(fact(GOOD1))).toEqual({ skipped: "waiting" });
    expect(n.arrive(fact(GOOD2)).result).toBe("accept");
    expect("decision" in n.decide(fact(GOOD2))).toBe(true);
  });

  test("unbans need the same corroboration: one named peer's tombstone waits, two apply", () => {
    const n = node("corroborate:2", { [GOOD1]: "corroborate:2", [GOOD2]: "corroborate:2" });
    const unban = (p: string) => fact(p, { k: "unban", r: 0, ttl: 0, at: now + 1 });
    n.arrive(unban(rogueId(1)));
    n.arrive(unban(GOOD1));
    expect(n.decide(unban(GOOD1))).toEqual({ skipped: "waiting" });
    n.arrive(unban(GOOD2));
    expect(n.decide(unban(GOOD2))).toMatchObject({ decision: { action: "unban", reasons: 0, origin: `n-${GOOD2.slice(-6)}` } });
  });

  test("an unban tombstone kills only its own origin's ban, in the set", () => {
    const n = node("enforce", { [GOOD1]: "enforce", [GOOD2]: "enforce" });
    n.arrive(fact(GOOD1));
    expect(n.arrive(fact(GOOD2, { k: "unban", r: 0, ttl: 0, at: now + 1 })).result).toBe("accept");
    expect(n.set.agreeing(X, undefined, now)).toBe(1);
    // Its own later ban is superseded only by its own tombstone.
    expect(n.arrive(fact(GOOD2, { at: now })).result).toBe("ignore");
    expect(n.set.agreeing(X, undefined, now)).toBe(1);
  });

  test("a tombstone from the future is refused past the skew, and within it is clamped to now", () => {
    const n = node("enforce", { [GOOD1]: "enforce" });
    expect(n.arrive(fact(GOOD1, { k: "unban", r: 0, ttl: 0, at: now + 3_600_000 }))).toEqual({ result: "reject", reason: "future" });
    const soon = fact(GOOD1, { k: "unban", r: 0, ttl: 0, at: now + 60_000 });
    expect(n.arrive(soon).result).toBe("accept");
    const out = n.decide(soon);
    expect("decision" in out && out.decision.at).toBe(now);
  });

  test("a prefix wider than the minimum is rejected; prefix facts have their own smaller budget", () => {
    const n = node("enforce", { [GOOD1]: "enforce" });
    expect(n.arrive(fact(GOOD1, { address: { kind: "cidr", text: "198.51.0.0/16" } }))).toEqual({ result: "reject", reason: "prefix_too_short" });
    expect(n.arrive(fact(GOOD1, { address: { kind: "cidr", text: "2001:db8::/32" } }))).toEqual({ result: "reject", reason: "prefix_too_short" });
    expect(n.arrive(fact(GOOD1, { address: { kind: "cidr", text: "2001:db8::/48" } })).result).toBe("accept");
    const cidr = (i: number) => fact(GOOD1, { address: { kind: "cidr", text: `198.51.${i}.0/24` } });
    expect([1, 2].map((i) => n.arrive(cidr(i)).result)).toEqual(["accept", "accept"]);
    expect(n.arrive(cidr(3))).toEqual({ result: "reject", reason: "rate_limited" });
    // Single addresses still flow: the prefix budget is separate.
    expect(n.arrive(fact(GOOD1, { address: { kind: "ip", text: "198.51.100.99" } })).result).toBe("accept");
  });

  test("observe-level and unnamed ids fill only their own set: a trusted ban still finds room", () => {
    const n = node("observe", { [GOOD1]: "enforce", [rogueId(0)]: "observe" }, 100);
    let i = 0;
    for (let id = 0; id < 20; id++) for (let k = 0; k < 10; k++) n.arrive(fact(rogueId(id), { address: { kind: "ip", text: `203.0.113.${i++ % 250}` } }));
    expect(n.set.size).toBe(0);
    expect(n.observed.size).toBeLessThanOrEqual(50);
    expect(n.arrive(fact(GOOD1)).result).toBe("accept");
    expect("decision" in n.decide(fact(GOOD1))).toBe(true);
    expect(n.decide(fact(rogueId(0)))).toEqual({ skipped: "observed" });
  });
});
