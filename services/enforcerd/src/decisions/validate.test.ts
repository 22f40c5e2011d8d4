import { describe, expect, test } from "bun:test";
import type { Decision } from "@honeymesh/schema/decision";
import { validateDecision } from "./validate.ts";

const d = (over: Partial<Decision> & { text?: string; kind?: "ip" | "cidr" }): Decision => {
  const { text, kind, ...rest } = over;
  return { id: "test:1:1:1", action: "ban", address: { kind: kind ?? "ip", text: text ?? "198.51.100.7" }, reasons: 2, ttl_s: 60, origin: "n", source: "scand", evidence: [], offence: 1, at: 0, ...rest };
};
const reason = (over: Parameters<typeof d>[0]) => {
  const v = validateDecision(d(over), 3600);
  return v.ok ? "ok" : v.reason;
};

describe("validateDecision", () => {
  test("refuses what the schema cannot see, each with its own reason", () => {
    expect(reason({ text: "300.1.1.1" })).toBe("bad_address");
    expect(reason({ text: "0.0.0.0/0", kind: "cidr" })).toBe("bad_address");
    expect(reason({ text: "::/0", kind: "cidr" })).toBe("bad_address");
    expect(reason({ text: "10.0.0.1/8", kind: "cidr" })).toBe("bad_address");
    expect(reason({ text: "10.0.0.0/8", kind: "ip" })).toBe("kind_mismatch");
    expect(reason({ text: "10.0.0.1", kind: "cidr" })).toBe("kind_mismatch");
    expect(reason({ reasons: 0 })).toBe("no_reasons");
    expect(reason({ reasons: 128 | 2 })).toBe("unknown_reason_bits");
    expect(reason({ action: "unban", reasons: 128 })).toBe("unknown_reason_bits");
    expect(reason({ ttl_s: 400_000_000 })).toBe("ttl_too_long");
    expect(reason({ text: "2001:db8::/32", kind: "cidr" })).toBe("ok");
    expect(reason({ action: "unban", reasons: 0 })).toBe("ok");
  });

  test("caps automatic TTLs (and 'permanent') at max_ttl_s, but not the operator's", () => {
    const auto = validateDecision(d({ ttl_s: 999_999 }), 3600);
    const perm = validateDecision(d({ ttl_s: 0 }), 3600);
    const manual = validateDecision(d({ ttl_s: 0, source: "apid" }), 3600);
    expect(auto.ok && auto.ttlS).toBe(3600);
    expect(perm.ok && perm.ttlS).toBe(3600);
    expect(manual.ok && manual.ttlS).toBe(0);
  });

  test("canonicalises the address text so one address is one ban", () => {
    const v = validateDecision(d({ text: "2001:DB8:0:0::1" }), 3600);
    expect(v.ok && v.address.text).toBe("2001:db8::1");
  });
});
