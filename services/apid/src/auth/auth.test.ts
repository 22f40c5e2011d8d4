import { describe, expect, test } from "bun:test";
import { FailLimiter } from "./fail-limiter.ts";
import { RouteTable } from "./route-table.ts";
import { needs } from "./scope.ts";
import { allows } from "./tokens.ts";
import { tooBroad } from "./allow-breadth.ts";

describe("auth policy", () => {
  const routes = [
    { method: "GET", path: "/v1/health", hooks: { detail: needs("none") } },
    { method: "HEAD", path: "/", hooks: { detail: needs("none") } },
    { method: "GET", path: "/v1/bans", hooks: { detail: needs("read") } },
    { method: "GET", path: "/v1/bans/:address", hooks: { detail: needs("read") } },
    { method: "POST", path: "/v1/bans/:address/permanent", hooks: { detail: needs("write") } },
    { method: "GET", path: "/v1/tokens/:id", hooks: { detail: needs("admin") } },
    { method: "PUT", path: "/v1/mode", hooks: { detail: needs("admin") } },
    { method: "GET", path: "/v1/mode", hooks: { detail: needs("read") } },
    { method: "GET", path: "/v1/decisions/stream", hooks: { detail: needs("bouncer") } },
    { method: "GET", path: "/v1/decisions", hooks: { detail: needs("bouncer") } },
  ];
  const table = new RouteTable(routes);
  const scope = (m: string, p: string) => {
    const r = table.match(m, p);
    return r.kind === "route" ? r.route.scope : r.kind;
  };

  test("the scope is the matched route's own declaration", () => {
    expect(scope("GET", "/v1/health")).toBe("none");
    expect(scope("GET", "/v1/bans")).toBe("read");
    expect(scope("HEAD", "/v1/bans")).toBe("read");
    expect(scope("HEAD", "/")).toBe("none");
    expect(scope("GET", "/v1/bans/10.0.0.0%2F8")).toBe("read");
    expect(scope("POST", "/v1/bans/1.2.3.4/permanent")).toBe("write");
    expect(scope("PUT", "/v1/mode")).toBe("admin");
    expect(scope("GET", "/v1/mode")).toBe("read");
    expect(scope("GET", "/v1/decisions/stream")).toBe("bouncer");
    expect(scope("GET", "/v1/decisions")).toBe("bouncer");
  });

  test("non-canonical forms are malformed or unknown, never another route's scope", () => {
    expect(scope("PUT", "/v1/mode/")).toBe("malformed");
    expect(scope("GET", "/v1/decisions/stream/")).toBe("malformed");
    expect(scope("PUT", "//v1/mode")).toBe("malformed");
    expect(scope("PUT", "/v1//mode")).toBe("malformed");
    expect(scope("PUT", "/v1/mode/..")).toBe("malformed");
    expect(scope("PUT", "/v1/mode/%2e")).toBe("malformed");
    expect(scope("GET", "/v1/tokens/a%2Fb")).toBe("malformed");
    expect(scope("PUT", "/V1/MODE")).toBe("unknown");
    expect(scope("PUT", "/v1%2Fmode")).toBe("unknown");
    expect(scope("DELETE", "/v1/mode")).toBe("unknown");
    expect(scope("GET", "/v1/bans/")).toBe("malformed");
  });

  test("a route without a declared scope is refused at startup", () => {
    expect(() => new RouteTable([{ method: "GET", path: "/v1/x", hooks: { detail: {} } }])).toThrow(/declares no scope/);
  });

  test("loopback has its own, larger failure budget", () => {
    const l = new FailLimiter(2, 10, 5);
    for (let i = 0; i < 3; i++) {
      l.fail("127.0.0.1", 1000);
      l.fail("192.0.2.1", 1000);
    }
    expect(l.blockedFor("192.0.2.1", 1000)).toBeGreaterThan(0);
    expect(l.blockedFor("127.0.0.1", 1000)).toBe(0);
    expect(l.blockedFor("::ffff:127.0.0.1", 1000)).toBe(0);
  });

  test("allowlist entries broader than the configured prefix need force", () => {
    const limits = { v4: 8, v6: 16 };
    expect(tooBroad("0.0.0.0/1", false, limits)).toMatch(/allow_min_prefix_v4/);
    expect(tooBroad("10.0.0.0/7", false, limits)).toMatch(/--force/);
    expect(tooBroad("10.0.0.0/8", false, limits)).toBeUndefined();
    expect(tooBroad("0.0.0.0/1", true, limits)).toBeUndefined();
    expect(tooBroad("2000::/15", false, limits)).toMatch(/allow_min_prefix_v6/);
    expect(tooBroad("2001:db8::/32", false, limits)).toBeUndefined();
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
