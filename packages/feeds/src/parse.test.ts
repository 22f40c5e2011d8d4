import { describe, expect, test } from "bun:test";
import { FeedError } from "./errors.ts";
import { parseFeed } from "./parse.ts";
import { snapshotEntries, snapshotSize, type Snapshot } from "./snapshot.ts";

const sorted = (s: Snapshot) => [...snapshotEntries(s)].sort();

describe("parseFeed", () => {
  test("FireHOL netset: comments, blank lines, prefixes, addresses, and junk counted", () => {
    const text = `#\n# firehol_level1\n#\n# Maintainer: FireHOL\n0.0.0.0/8\n1.10.16.0/20\n  5.188.10.1  \n\n10.1.1.300\n192.0.2.0/24 # inline\n1.10.16.0/20\n`;
    const p = parseFeed("firehol", text, 100, true);
    // 0.0.0.0/8 is a prefix like any other here; /0 would be refused by the address parser.
    expect(sorted(p.entries)).toEqual(["0.0.0.0/8", "1.10.16.0/20", "192.0.2.0/24", "5.188.10.1"]);
    expect(p.invalid).toBe(1);
  });

  test("plain lists canonicalise: IPv6 to RFC 5952, IPv4-mapped folded, /32 becomes an address, leading zeros refused", () => {
    const p = parseFeed("plain", "2001:DB8:0:0::1\n::ffff:198.51.100.7\n203.0.113.9/32\n2001:db8::/32\n010.1.1.1\n; comment\n", 100);
    expect(p.special).toBe(0);
    expect(sorted(p.entries)).toEqual(["198.51.100.7", "2001:db8::/32", "2001:db8::1", "203.0.113.9"]);
    expect(p.invalid).toBe(1);
  });

  test("host bits set are invalid, not silently widened", () => {
    expect(parseFeed("plain", "192.0.2.1/24\n", 10).invalid).toBe(1);
  });

  test("Spamhaus DROP text: ; comments and SBL ids after the prefix", () => {
    const text = "; Spamhaus DROP List 2026/11/30 - (c) 2026 The Spamhaus Project SLU\n; Last-Modified: Sun, 30 Nov 2026 12:00:00 GMT\n1.10.16.0/20 ; SBL256894\n1.19.0.0/16 ; SBL434604\n";
    expect(sorted(parseFeed("spamhaus-drop", text, 10).entries)).toEqual(["1.10.16.0/20", "1.19.0.0/16"]);
  });

  test("Spamhaus DROP JSON lines with the metadata line", () => {
    const text = '{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}\n{"cidr":"2001:db8:100::/40","sblid":"SBL1","rir":"ripencc"}\n{"cidr":42}\nnot json\n{"type":"metadata","timestamp":1764500000,"size":2,"records":2,"copyright":"(c) Spamhaus"}\n';
    const p = parseFeed("spamhaus-drop", text, 10);
    expect(sorted(p.entries)).toEqual(["1.10.16.0/20", "2001:db8:100::/40"]);
    expect(p.invalid).toBe(2);
  });

  test("CrowdSec LAPI stream: new ban decisions of scope Ip and Range; other scopes and types skipped", () => {
    const doc = {
      new: [
        { duration: "3h59m", origin: "crowdsec", scenario: "crowdsecurity/ssh-bf", scope: "Ip", type: "ban", value: "192.0.2.7" },
        { duration: "1h", origin: "lists", scenario: "x", scope: "Range", type: "ban", value: "198.51.100.0/24" },
        { duration: "1h", origin: "cscli", scenario: "y", scope: "Country", type: "ban", value: "XX" },
        { duration: "1h", origin: "cscli", scenario: "y", scope: "Ip", type: "captcha", value: "192.0.2.8" },
      ],
      deleted: [{ scope: "Ip", type: "ban", value: "192.0.2.99" }],
    };
    const p = parseFeed("crowdsec", JSON.stringify(doc), 10);
    expect(sorted(p.entries)).toEqual(["192.0.2.7", "198.51.100.0/24"]);
    expect(p.skipped).toBe(2);
    expect(snapshotSize(parseFeed("crowdsec", '{"new":null,"deleted":null}', 10).entries)).toBe(0);
  });

  test("CrowdSec cscli decisions list -o json: alerts with decisions", () => {
    const doc = [{ id: 1, scenario: "s", decisions: [{ value: "203.0.113.5", scope: "Ip", type: "ban" }] }, { id: 2, decisions: [{ value: "203.0.113.6", scope: "ip", type: "ban" }] }];
    expect(sorted(parseFeed("crowdsec", JSON.stringify(doc), 10).entries)).toEqual(["203.0.113.5", "203.0.113.6"]);
  });

  test("CrowdSec text that is not JSON is a FeedError, not a crash", () => {
    expect(() => parseFeed("crowdsec", "<html>", 10)).toThrow(FeedError);
    expect(() => parseFeed("crowdsec", '{"foo":1}', 10)).toThrow(FeedError);
  });

  test("duplicates count once, in either representation", () => {
    const p = parseFeed("plain", "192.0.2.1\n192.0.2.1\n::ffff:192.0.2.1\n192.0.2.1/32\n2001:db8::/32\n2001:DB8::/32\n", 10);
    expect(sorted(p.entries)).toEqual(["192.0.2.1", "2001:db8::/32"]);
  });

  test("private, loopback, link-local, multicast and reserved networks are skipped and counted unless kept", () => {
    const text = ["0.0.0.0/8", "10.1.2.3", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.1", "169.254.1.1", "172.16.0.0/12", "192.168.1.0/24", "224.0.0.0/3", "255.255.255.255", "8.0.0.0/7", "fd00::1", "fe80::/64", "ff02::1", "::1", "1.2.3.4", "2001:db8::1", "0.0.0.0/1"].join("\n");
    const p = parseFeed("firehol", text, 100);
    // 0.0.0.0/1 contains 10/8; 8.0.0.0/7 does not overlap any of them.
    expect(sorted(p.entries)).toEqual(["1.2.3.4", "2001:db8::1", "8.0.0.0/7"]);
    expect(p.special).toBe(15);
    expect(snapshotSize(parseFeed("firehol", text, 100, true).entries)).toBe(18);
  });

  test("more entries than max_entries refuses the snapshot", () => {
    const text = Array.from({ length: 11 }, (_, i) => `192.0.2.${i}`).join("\n");
    expect(() => parseFeed("plain", text, 10)).toThrow(/max_entries/);
    expect(snapshotSize(parseFeed("plain", text, 11).entries)).toBe(11);
  });
});
