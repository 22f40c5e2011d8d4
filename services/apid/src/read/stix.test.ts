import { expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { StixBundle } from "@honeymesh/api/events";
import { stixBundle } from "./stix.ts";

test("indicators become STIX 2.1 indicator objects with patterns per type and stable ids", () => {
  const seen = { first_seen: 1_700_000_000_000, last_seen: 1_700_000_100_000, sessions: 1, sources: ["198.51.100.1"] };
  const b = stixBundle([
    { type: "url", value: "http://203.0.113.50/it's", ...seen },
    { type: "host", value: "203.0.113.50", ...seen },
    { type: "host", value: "2001:db8::1", ...seen },
    { type: "host", value: "evil.example", ...seen },
    { type: "file", value: "a".repeat(64), ...seen },
    { type: "ssh-key", value: "SHA256:abc", ...seen },
  ]);
  expect(Value.Check(StixBundle, b)).toBe(true);
  expect(b.objects.map((o) => o.pattern)).toEqual([
    "[url:value = 'http://203.0.113.50/it\\'s']",
    "[ipv4-addr:value = '203.0.113.50']",
    "[ipv6-addr:value = '2001:db8::1']",
    "[domain-name:value = 'evil.example']",
    `[file:hashes.'SHA-256' = '${"a".repeat(64)}']`,
    "[x-ssh-key:fingerprint = 'SHA256:abc']",
  ]);
  expect(b.objects[0]!.valid_from).toBe("2023-11-14T22:13:20.000Z");
  expect(stixBundle([{ type: "host", value: "203.0.113.50", ...seen }]).objects[0]!.id).toBe(b.objects[1]!.id);
});
