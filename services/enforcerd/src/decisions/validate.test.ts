import { describe, expect, test } from "bun:test";
import type { Decision } from "@honeymesh/schema/decision";
import { validateDecision } from "./validate.ts";

const d = (over: Partial<Decision>): Decision => ({ action: "ban", target: "ip", value: "198.51.100.7", reasons: 2, ttl_s: 60, origin: "n", source: "scand", evidence: [], offence: 1, at: 0, ...over });
const reason = (over: Partial<Decision>) => {
  const v = validateDecision(d(over), 3600);
  return v.ok ? "ok" : v.reason;
};

describe("validateDecision", () => {
  test("refuses what the schema cannot see, each with its own reason", () => {
    expect(reason({ value: "300.1.1.1" })).toBe("bad_target");
    expect(reason({ value: "0.0.0.0/0", target: "cidr" })).toBe("bad_target");
    expect(reason({ value: "::/0", target: "cidr" })).toBe("bad_target");
    expect(reason({ value: "10.0.0.1/8", target: "cidr" })).toBe("bad_target");
    expect(reason({ value: "10.0.0.0/8", target: "ip" })).toBe("target_kind");
    expect(reason({ value: "10.0.0.1", target: "cidr" })).toBe("target_kind");
    expect(reason({ reasons: 0 })).toBe("no_reasons");
    expect(reason({ reasons: 128 | 2 })).toBe("unknown_reason_bits");
    expect(reason({ ttl_s: 400_000_000 })).toBe("ttl_too_long");
    expect(reason({ value: "2001:db8::/32", target: "cidr" })).toBe("ok");
  });

  test("caps automatic TTLs (and 'permanent') at max_ttl_s, but not the operator's", () => {
    const auto = validateDecision(d({ ttl_s: 999_999 }), 3600);
    const perm = validateDecision(d({ ttl_s: 0 }), 3600);
    const manual = validateDecision(d({ ttl_s: 0, source: "apid" }), 3600);
    expect(auto.ok && auto.ttlS).toBe(3600);
    expect(perm.ok && perm.ttlS).toBe(3600);
    expect(manual.ok && manual.ttlS).toBe(0);
  });

  test("canonicalises the target text so one address is one ban", () => {
    const v = validateDecision(d({ value: "2001:DB8:0:0::1" }), 3600);
    expect(v.ok && v.value).toBe("2001:db8::1");
  });
});
