import { describe, expect, test } from "bun:test";
import { formatIp, parseIPv4, parseIPv6, parseAddress, type ParsedAddress } from "./address.ts";

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString("hex") : undefined);
const ok = (s: string): ParsedAddress => {
  const r = parseAddress(s);
  if (!r.ok) throw new Error(`${s}: ${r.reason}`);
  return r.value;
};
const bad = (s: string): string => {
  const r = parseAddress(s);
  if (r.ok) throw new Error(`${s} was accepted`);
  return r.reason;
};

describe("IPv4", () => {
  test("valid dotted quads", () => {
    expect(hex(parseIPv4("1.2.3.4"))).toBe("01020304");
    expect(hex(parseIPv4("0.0.0.0"))).toBe("00000000");
    expect(hex(parseIPv4("255.255.255.255"))).toBe("ffffffff");
  });
  test.each(["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "1..3.4", "a.b.c.d", " 1.2.3.4", "1.2.3.4 ", "", "1e2.1.1.1", "0x1.1.1.1"])(
    "rejects %p",
    (s) => expect(parseIPv4(s)).toBeUndefined(),
  );
});

describe("IPv6", () => {
  test("compressed forms", () => {
    expect(hex(parseIPv6("::"))).toBe("0".repeat(32));
    expect(hex(parseIPv6("::1"))).toBe(`${"0".repeat(31)}1`);
    expect(hex(parseIPv6("2001:db8::1"))).toBe("20010db8000000000000000000000001");
    expect(hex(parseIPv6("2001:DB8:0:0:0:0:0:1"))).toBe("20010db8000000000000000000000001");
    expect(hex(parseIPv6("fe80::"))).toBe("fe80" + "0".repeat(28));
    expect(hex(parseIPv6("1:2:3:4:5:6:7::"))).toBe("00010002000300040005000600070000");
    expect(hex(parseIPv6("::ffff:1.2.3.4"))).toBe("00000000000000000000ffff01020304");
    expect(hex(parseIPv6("64:ff9b::192.0.2.1"))).toBe("0064ff9b0000000000000000c0000201");
  });
  test.each([":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "fe80::1%eth0", ":1::", "1::2:", "::1.2.3", "1.2.3.4::", "::ffff:1.2.3.4:5", "1:2:3:4:5:6:7::8:9"])(
    "rejects %p",
    (s) => expect(parseIPv6(s)).toBeUndefined(),
  );
  test("formats per RFC 5952", () => {
    const f = (s: string) => formatIp(6, parseIPv6(s)!);
    expect(f("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(f("2001:db8:0:1:0:0:0:1")).toBe("2001:db8:0:1::1");
    expect(f("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(f("2001:db8:1:1:1:1:0:1")).toBe("2001:db8:1:1:1:1:0:1");
    expect(f("::")).toBe("::");
    expect(f("::1")).toBe("::1");
    expect(f("fd00::")).toBe("fd00::");
  });
});

describe("targets", () => {
  test("exact addresses and full-width prefixes", () => {
    expect(ok("1.2.3.4")).toMatchObject({ family: 4, prefix: 32, exact: true });
    expect(ok("1.2.3.4/32")).toMatchObject({ family: 4, prefix: 32, exact: true });
    expect(ok("2001:db8::1/128")).toMatchObject({ family: 6, prefix: 128, exact: true });
    expect(ok("  10.0.0.1 ")).toMatchObject({ family: 4, exact: true });
  });
  test("CIDRs", () => {
    expect(ok("10.0.0.0/8")).toMatchObject({ family: 4, prefix: 8, exact: false });
    expect(ok("2001:db8::/32")).toMatchObject({ family: 6, prefix: 32, exact: false });
  });
  test("IPv4-mapped IPv6 folds to IPv4", () => {
    const t = ok("::ffff:10.1.2.3");
    expect(t.family).toBe(4);
    expect(hex(t.bytes)).toBe("0a010203");
    expect(ok("::ffff:10.0.0.0/104")).toMatchObject({ family: 4, prefix: 8 });
  });
  test("refuses /0, host bits, bad prefixes and junk", () => {
    expect(bad("0.0.0.0/0")).toContain("/0 is refused");
    expect(bad("::/0")).toContain("/0 is refused");
    expect(bad("10.0.0.1/8")).toContain("did you mean 10.0.0.0/8");
    expect(bad("2001:db8::1/32")).toContain("2001:db8::/32");
    expect(bad("1.2.3.4/33")).toContain("outside");
    expect(bad("::1/129")).toContain("outside");
    expect(bad("1.2.3.4/08")).toContain("invalid prefix");
    expect(bad("1.2.3.4/")).toContain("invalid prefix");
    expect(bad("1.2.3.4/-1")).toContain("invalid prefix");
    expect(bad("example.com")).toContain("not an IPv4 or IPv6");
    expect(bad("")).toContain("not an IPv4 or IPv6");
  });
});
