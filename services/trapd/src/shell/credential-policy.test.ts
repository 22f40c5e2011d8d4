import { expect, test } from "bun:test";
import { CredentialPolicy } from "./credential-policy.ts";

test("listed pairs open a session, * is any password, the rest is refused", () => {
  const p = new CredentialPolicy(["root:admin", "pi:*"], 100);
  expect(p.check("192.0.2.1", "root", "admin")).toBe(true);
  expect(p.check("192.0.2.1", "root", "wrong")).toBe(false);
  expect(p.check("192.0.2.1", "pi", "anything")).toBe(true);
  expect(p.check("192.0.2.1", "oracle", "oracle")).toBe(false);
});

test("per source an outcome sticks: worked keeps working, failed keeps failing, bounded LRU", () => {
  const a = new CredentialPolicy(["root:admin"], 2);
  expect(a.check("s1", "root", "admin")).toBe(true);
  expect(a.check("s1", "root", "x")).toBe(false);
  // The policy "changes" (a restart with another list would be a new object; here: same memory, other answer would flip).
  const flip = a as unknown as { exact: Set<string> };
  flip.exact.clear();
  flip.exact.add("root\0x");
  expect(a.check("s1", "root", "admin")).toBe(true);
  expect(a.check("s1", "root", "x")).toBe(false);
  // A new source gets the current list; the LRU holds 2 sources.
  expect(a.check("s2", "root", "x")).toBe(true);
  a.check("s3", "root", "y");
  expect(a.remembered).toBe(2);
  // s1 was evicted: it gets the current list now.
  expect(a.check("s1", "root", "admin")).toBe(false);
});

test("disabled: every login refused", () => {
  expect(new CredentialPolicy(["root:*"], 10, false).check("s", "root", "x")).toBe(false);
});
