import { describe, expect, test } from "bun:test";
import { FailLimiter } from "./fail-limiter.ts";
import { needOf } from "./policy.ts";
import { allows } from "./tokens.ts";

describe("auth policy", () => {
  test("health is open, reads need read, writes write, tokens and mode admin, bouncer routes a key", () => {
    expect(needOf("GET", "/v1/health")).toEqual({ kind: "none" });
    expect(needOf("GET", "/v1/bans")).toEqual({ kind: "bearer", scope: "read" });
    expect(needOf("GET", "/metrics")).toEqual({ kind: "bearer", scope: "read" });
    expect(needOf("POST", "/v1/bans")).toEqual({ kind: "bearer", scope: "write" });
    expect(needOf("DELETE", "/v1/bans/1.2.3.4")).toEqual({ kind: "bearer", scope: "write" });
    expect(needOf("GET", "/v1/tokens")).toEqual({ kind: "bearer", scope: "admin" });
    expect(needOf("DELETE", "/v1/tokens/x")).toEqual({ kind: "bearer", scope: "admin" });
    expect(needOf("PUT", "/v1/mode")).toEqual({ kind: "bearer", scope: "admin" });
    expect(needOf("GET", "/v1/mode")).toEqual({ kind: "bearer", scope: "read" });
    expect(needOf("GET", "/v1/decisions/stream")).toEqual({ kind: "bouncer" });
    expect(needOf("GET", "/v1/unknown")).toEqual({ kind: "bearer", scope: "read" });
  });

  test("scopes are ordered; a bouncer key is no bearer scope", () => {
    expect(allows("admin", "write")).toBe(true);
    expect(allows("write", "read")).toBe(true);
    expect(allows("read", "write")).toBe(false);
    expect(allows("write", "admin")).toBe(false);
    expect(allows("bouncer", "read")).toBe(false);
  });

  test("the fail limiter blocks a source after its budget, per minute, and stays bounded", () => {
    const l = new FailLimiter(3, 2);
    for (let i = 0; i < 3; i++) l.fail("a", 1000);
    expect(l.blockedFor("a", 1000)).toBe(60);
    expect(l.blockedFor("b", 1000)).toBe(0);
    expect(l.blockedFor("a", 61_000)).toBe(0);
    l.fail("b", 2000);
    l.fail("c", 2000); // evicts the oldest source
    expect(l.blockedFor("a", 2000)).toBe(0);
  });
});
