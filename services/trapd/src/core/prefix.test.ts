import { expect, test } from "bun:test";
import { prefixOf } from "./prefix.ts";

test("IPv4 sources share their /24, IPv6 sources their /64, whatever the text's compression", () => {
  expect(prefixOf("198.51.100.7")).toBe("198.51.100.0/24");
  expect(prefixOf("2001:db8:0:1::5")).toBe("2001:db8:0:1::/64");
  expect(prefixOf("2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
  expect(prefixOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
  expect(prefixOf("::1")).toBe("0:0:0:0::/64");
  expect(prefixOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  expect(prefixOf("::ffff:192.0.2.1")).toBe("0:0:0:0::/64");
  expect(prefixOf("unknown")).toBe("unknown");
});
