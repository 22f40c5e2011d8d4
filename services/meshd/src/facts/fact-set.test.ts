import { describe, expect, test } from "bun:test";
import { FactSet } from "./fact-set.ts";
import type { Fact } from "./fact.ts";

const P1 = "12D3KooWA9nqbBk5wb2J2PnBcpdmh3Px6AGxbnzRRNRpxSE7Ur3R";
const P2 = "12D3KooWKcSCyvU3fT2r8zp9NxgJM41samCC9pjYCwFio6Cwy95G";
const now = 1_700_000_000_000;
const f = (over: Partial<Fact>): Fact => ({ v: 2, c: "x", k: "ban", address: { kind: "ip", text: "198.51.100.1" }, r: 2, ttl: 600, o: "n1", p: P1, at: now, off: 1, ev: [], ...over });

describe("FactSet", () => {
  test("a tombstone kills older bans and refuses them later, whatever the order", () => {
    const a = new FactSet(86_400_000, 1000);
    expect(a.ingest(f({}), "w1", now)).toBe("new");
    expect(a.ingest(f({ k: "unban", r: 0, at: now + 10 }), "w2", now)).toBe("new");
    expect(a.agreeing("198.51.100.1", undefined, now)).toBe(0);
    const b = new FactSet(86_400_000, 1000);
    expect(b.ingest(f({ k: "unban", r: 0, at: now + 10 }), "w2", now)).toBe("new");
    expect(b.ingest(f({}), "w1", now)).toBe("superseded");
    expect(a.digest()).toBe(b.digest());
    // A ban decided after the unban is a new ban.
    expect(b.ingest(f({ at: now + 20 }), "w3", now)).toBe("new");
  });

  test("newest per origin wins; corroboration counts distinct origins", () => {
    const s = new FactSet(86_400_000, 1000);
    expect(s.ingest(f({ at: now + 5 }), "a", now)).toBe("new");
    expect(s.ingest(f({ at: now }), "b", now)).toBe("stale");
    expect(s.ingest(f({ p: P2, o: "n2" }), "c", now)).toBe("new");
    expect(s.agreeing("198.51.100.1", undefined, now)).toBe(2);
    expect(s.agreeing("198.51.100.1", (p) => p === P2, now)).toBe(1);
  });

  test("bounded: an origin holds at most a tenth of the set; TTLs are capped; expired facts go", () => {
    const s = new FactSet(60_000, 100);
    for (let i = 0; i < 10; i++) expect(s.ingest(f({ address: { kind: "ip", text: `198.51.100.${i}` } }), "w", now)).toBe("new");
    expect(s.ingest(f({ address: { kind: "ip", text: "198.51.100.99" } }), "w", now)).toBe("full");
    expect(s.ingest(f({ address: { kind: "ip", text: "198.51.100.99" }, p: P2, o: "n2", ttl: 0 }), "w", now)).toBe("new");
    // A permanent ban lives only as long as the cap here.
    expect(s.prune(now + 61_000)).toBe(11);
    expect(s.ingest(f({ at: now - 700_000 }), "w", now)).toBe("expired");
  });
});
