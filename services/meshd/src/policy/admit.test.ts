import { describe, expect, test } from "bun:test";
import { REASONS } from "@honeymesh/ban/reasons";
import { factFromBan } from "../facts/sanitize.ts";
import { FactSet } from "../facts/fact-set.ts";
import type { Fact } from "../facts/fact.ts";
import { admit, decide } from "./admit.ts";
import { MeshAllowlist } from "./allowlist.ts";
import { RateLimiter } from "./rate-limit.ts";
import { parseTrust, TrustMap } from "./trust.ts";

const P1 = "12D3KooWA9nqbBk5wb2J2PnBcpdmh3Px6AGxbnzRRNRpxSE7Ur3R";
const P2 = "12D3KooWKcSCyvU3fT2r8zp9NxgJM41samCC9pjYCwFio6Cwy95G";
const now = Date.now();
const fact = (over: Partial<Fact> = {}): Fact => ({ v: 2, c: "x", k: "ban", address: { kind: "ip", text: "198.51.100.1" }, r: 2, ttl: 0, o: "n1", p: P1, at: now, off: 1, ev: [], ...over });

describe("admission and policy", () => {
  const ctx = (set = new FactSet(86_400_000, 1000), limiter = new RateLimiter(1, 3)) => ({
    cluster: "x",
    selfPeer: P2,
    selfNode: "me",
    setFor: () => set,
    limiter,
    cidrLimiter: new RateLimiter(1, 2),
    minPrefix: { v4: 24, v6: 48 },
    bindNode: (_p: string, n: string) => n !== "spoof",
  });

  test("wrong cluster, forged author, own node id and a rebound identity are rejected", () => {
    expect(admit(ctx(), { fact: fact({ c: "y" }), wire: "", source: P1, via: "gossip", author: P1 })).toEqual({ result: "reject", reason: "wrong_cluster" });
    expect(admit(ctx(), { fact: fact(), wire: "", source: P1, via: "gossip", author: P2 })).toEqual({ result: "reject", reason: "forged" });
    expect(admit(ctx(), { fact: fact({ o: "me" }), wire: "", source: P1, via: "gossip", author: P1 })).toEqual({ result: "reject", reason: "identity_mismatch" });
    expect(admit(ctx(), { fact: fact({ o: "spoof" }), wire: "", source: P1, via: "gossip", author: P1 })).toEqual({ result: "reject", reason: "identity_mismatch" });
  });

  test("over the rate: the flooding origin is rejected, an honest relay only ignored, sync not limited", () => {
    const c = ctx();
    const arrive = (i: number, source: string, via: "gossip" | "sync" = "gossip") => admit(c, { fact: fact({ address: { kind: "ip", text: `198.51.100.${i}` } }), wire: "", source, via, author: P1 }).result;
    expect([1, 2, 3].map((i) => arrive(i, P1))).toEqual(["accept", "accept", "accept"]);
    expect(arrive(4, P1)).toBe("reject");
    expect(arrive(5, P2)).toBe("ignore");
    expect(arrive(6, P2, "sync")).toBe("accept");
  });

  test("a remote ban is never permanent, keeps its reasons plus MESH, and respects allowlist and trust", () => {
    const set = new FactSet(86_400_000, 1000);
    const named = (t: string) => new Map([P1, P2].map((p) => [p, parseTrust(t)]));
    const pol = (trust: string, allow: string[] = []) => ({ cluster: "x", trust: new TrustMap(parseTrust(trust), named(trust)), allow: new MeshAllowlist(allow), ttlCapS: 86_400, set });
    set.ingest(fact(), "w", now);
    const out = decide(pol("enforce"), fact(), now);
    expect("decision" in out && out.decision).toMatchObject({ action: "ban", reasons: 2 | REASONS.MESH, ttl_s: 86_400, source: "meshd", origin: "n1" });
    expect(decide(pol("observe"), fact(), now)).toEqual({ skipped: "observed" });
    expect(decide(pol("corroborate:2"), fact(), now)).toEqual({ skipped: "waiting" });
    set.ingest(fact({ p: P2, o: "n2" }), "w", now);
    expect("decision" in decide(pol("corroborate:2"), fact(), now)).toBe(true);
    expect(decide(pol("enforce", ["198.51.100.0/24"]), fact(), now)).toEqual({ skipped: "allowlisted" });
    expect(decide(pol("enforce"), fact({ address: { kind: "ip", text: "127.0.0.1" } }), now)).toEqual({ skipped: "allowlisted" });
  });

  test("sharing: only our own bans, only shared reasons, no payloads or hostnames; global unbans only", () => {
    const origin = { cluster: "x", nodeId: "me", peerId: P2 };
    const evidence = [
      { kind: "scan" as const, summary: "SCAN: ports 22,80 within 1.2 s from evil.example.com", ports: [22, 80], count: 2, window_s: 1.2 },
      { kind: "bruteforce" as const, summary: "BRUTEFORCE: root/hunter2", trap: "ssh", count: 5 },
      { kind: "mesh" as const, summary: "MESH: from another peer" },
    ];
    const change = { change: "added" as const, address: { kind: "ip" as const, text: "198.51.100.9" }, reasons: 2 | 32 | 64, expires_at: now + 60_000, origin: "me", offence: 2, evidence, confidence: "verified" as const, at: now };
    const f = factFromBan(change, 2 | 32, origin, undefined, now)!;
    // The reason survives (kind, ports, trap, counts); the free text, passwords and hostnames do not.
    expect(f).toMatchObject({ k: "ban", r: 2 | 32, ttl: 60, o: "me", p: P2, ev: [{ kind: "scan", ports: [22, 80], count: 2, window_s: 1.2 }, { kind: "bruteforce", trap: "ssh", count: 5 }] });
    expect(JSON.stringify(f)).not.toMatch(/hunter2|evil\.example|summary/);
    expect(factFromBan({ ...change, origin: "peer" }, 127, origin, undefined, now)).toBeUndefined();
    expect(factFromBan({ ...change, reasons: 64 }, 2, origin, undefined, now)).toBeUndefined();
    expect(factFromBan({ ...change, change: "removed", scope: "local" }, 127, origin, undefined, now)).toBeUndefined();
    expect(factFromBan({ ...change, change: "removed" }, 127, origin, undefined, now)).toMatchObject({ k: "unban", r: 0 });
    expect(factFromBan({ ...change, change: "expired" }, 127, origin, undefined, now)).toBeUndefined();
    // A ban on unverified (spoofable) evidence never leaves the node, added or extended.
    expect(factFromBan({ ...change, confidence: "unverified" }, 127, origin, undefined, now)).toBeUndefined();
    expect(factFromBan({ ...change, change: "extended", confidence: "unverified" }, 127, origin, undefined, now)).toBeUndefined();
  });
});
