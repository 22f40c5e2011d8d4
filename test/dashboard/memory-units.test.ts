// The dashboard's pure pieces behind issue 18, without a browser: the history window per range,
// the live tail, and the optional country / ASN / org fields read defensively.
import { describe, expect, test } from "bun:test";
import { RANGES, windowOf, withTail, type Series } from "../../dashboard/src/overview/history-range.ts";
import { geoMatches, geoOf, geoText } from "../../dashboard/src/ui/geo.ts";

describe("history window", () => {
  test("each range is aligned on its step, covers the range, ends after now, and asks apid for ≤ 180 buckets", () => {
    const now = Date.UTC(2026, 11, 1, 13, 37, 42, 123);
    for (const [name, r] of Object.entries(RANGES)) {
      const w = windowOf(name as keyof typeof RANGES, now);
      expect(w.stepMs).toBe(r.stepS * 1000);
      expect(w.from % w.stepMs).toBe(0);
      expect(w.to % w.stepMs).toBe(0);
      expect(w.to).toBeGreaterThan(now);
      expect(w.to - w.stepMs).toBeLessThanOrEqual(now);
      expect(w.to - w.from).toBeGreaterThanOrEqual(r.ms);
      expect((w.to - w.from) / w.stepMs).toBeLessThanOrEqual(180);
    }
  });

  test("the live tail sums the stream's buckets from the current minute into the bucket it falls in", () => {
    const now = Date.UTC(2026, 11, 1, 13, 37, 42);
    const minute = Date.UTC(2026, 11, 1, 13, 37);
    const s: Series = { range: "24h", from: Date.UTC(2026, 10, 30, 13, 40), to: Date.UTC(2026, 11, 1, 13, 40), stepMs: 600_000, points: [], tail: null };
    const live = [
      { t: minute - 10_000, hits: 50, decisions: 5, added: 5, removed: 5 }, // recorded by apid already
      { t: minute, hits: 2, decisions: 1, added: 1, removed: 0 },
      { t: minute + 30_000, hits: 3, decisions: 0, added: 0, removed: 1 },
    ];
    expect(withTail(s, live, now).tail).toEqual({ t: Date.UTC(2026, 11, 1, 13, 30), hits: 5, decisions: 1, bans_added: 1, bans_ended: 1 });
  });
});

describe("optional country / ASN / org", () => {
  test("absent, empty or malformed fields read as unknown; present ones are shown and filtered on", () => {
    expect(geoOf({})).toBeUndefined();
    expect(geoOf({ country: "", asn: null, org: 42 })).toBeUndefined();
    expect(geoOf({ asn: Number.NaN })).toBeUndefined();
    const b = { address: { kind: "ip", text: "203.0.113.7" }, country: "DE", asn: 3320, org: "Deutsche Telekom AG" };
    expect(geoText(geoOf(b))).toBe("DE · AS3320 Deutsche Telekom AG");
    expect(geoText(geoOf({ asn: "AS64500" }))).toBe("AS64500");
    expect(geoMatches(b, "telekom")).toBe(true);
    expect(geoMatches(b, "as3320")).toBe(true);
    expect(geoMatches(b, "FR")).toBe(false);
    expect(geoMatches({}, "")).toBe(true);
    expect(geoMatches({}, "DE")).toBe(false);
  });
});
