import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { Counters } from "@honeymesh/bus/counters";
import { createLogger } from "@honeymesh/telemetry/logger";
import { FailLimiter } from "../auth/fail-limiter.ts";
import { needs } from "../auth/scope.ts";
import { createApp } from "./app.ts";

function shell() {
  const lines: string[] = [];
  const a = createApp({ tokens: {} as never, limiter: new FailLimiter(5), logger: createLogger("apid", "debug", (l) => void lines.push(l)), requests: new Counters() });
  a.app.use(new Elysia().get("/v1/x/:address", ({ params }) => `param ${params.address}`, { detail: needs("admin") }).get("/v1/x/static", () => "static", { detail: needs("admin") }));
  return { ...a, lines };
}

describe("the HTTP shell", () => {
  test("requests on the local socket are admin; the router reaches the route the guard matched", async () => {
    const s = shell();
    s.seal();
    const get = async (p: string) => {
      const r = await s.handleLocal(new Request(`http://localhost${p}`));
      return `${r.status} ${await r.text()}`;
    };
    expect(await get("/v1/x/static")).toBe("200 static");
    expect(await get("/v1/x/10.0.0.0%2F8")).toBe("200 param 10.0.0.0/8");
    expect(await get("/v1/x/static/")).toStartWith("400 ");
    expect(await get("/v1/X/static")).toStartWith("404 ");
  });

  test("a request the router sends elsewhere than the guard authorised is refused and logged", async () => {
    const s = shell();
    const table = s.seal();
    // Simulate a router that disagrees with the guard's table.
    for (const e of table.entries) if (e.path === "/v1/x/static") e.path = "/v1/x/elsewhere";
    const r = await s.handleLocal(new Request("http://localhost/v1/x/static"));
    expect(r.status).toBe(404);
    expect(s.lines.join("")).toContain("router and guard disagree");
  });

  test("no request is served before the route table is sealed", async () => {
    const s = shell();
    expect((await s.handleLocal(new Request("http://localhost/v1/x/static"))).status).toBe(503);
  });
});
