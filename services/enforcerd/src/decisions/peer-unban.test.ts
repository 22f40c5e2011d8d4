import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { context, trace } from "@opentelemetry/api";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { openStore } from "@honeymesh/db/open";
import { newWriteId, type Decision } from "@honeymesh/schema/decision";
import type { BanChange } from "@honeymesh/schema/ban";
import { createLogger } from "@honeymesh/telemetry/logger";
import * as schema from "@honeymesh/tables/enforcerd";
import { BanStore } from "../store/ban-store.ts";
import { DecisionApplier } from "./apply-decision.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function applier() {
  const dir = mkdtempSync(join(tmpdir(), "hm-peer-unban-"));
  dirs.push(dir);
  const store = new BanStore(openStore({ path: join(dir, "enforcerd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle") }));
  const changes: BanChange[] = [];
  const a = new DecisionApplier({
    store,
    kernel: () => undefined,
    allow: new AllowSet(),
    publish: async (c) => void changes.push(c),
    results: async () => {},
    maxTtlS: 86_400,
    tracer: trace.getTracer("test"),
    logger: createLogger("enforcerd", "error", () => {}),
  });
  return { a, store, changes, run: async (d: Partial<Decision>) => (await a.apply(decision(d), context.active()))[0]! };
}

const decision = (over: Partial<Decision>): Decision => ({ id: newWriteId("test"), action: "ban", address: { kind: "ip", text: "198.51.100.7" }, reasons: 2, ttl_s: 600, origin: "local", source: "scand", evidence: [], offence: 1, at: Date.now(), ...over });
const peerUnban = (origin: string, text = "198.51.100.7") => ({ action: "unban" as const, address: { kind: "ip" as const, text }, reasons: 0, source: "meshd" as const, origin, at: Date.now() });

test("a peer's unban never lifts a local or operator ban: kept, with the reason", async () => {
  const { run, store } = applier();
  await run({});
  await run({ address: { kind: "ip", text: "198.51.100.8" }, source: "apid", origin: "local" });
  for (const text of ["198.51.100.7", "198.51.100.8"]) {
    const r = await run(peerUnban("rogue", text));
    expect(r.outcome).toBe("kept");
    expect(r.detail).toContain("this node");
    expect(r.detail).toContain("only that peer's own bans");
    expect(store.get(text)).toBeDefined();
  }
});

test("a peer's unban lifts its own origin's ban, never another peer's", async () => {
  const { run, store } = applier();
  await run({ source: "meshd", origin: "peer-a", reasons: 2 | 4 });
  const r = await run(peerUnban("peer-b"));
  expect(r).toMatchObject({ outcome: "kept" });
  expect(r.detail).toContain("peer peer-a");
  expect(store.get("198.51.100.7")).toBeDefined();
  expect((await run(peerUnban("peer-a"))).outcome).toBe("removed");
  expect(store.get("198.51.100.7")).toBeUndefined();
});

test("a peer's unban of an address not banned here leaves no tombstone to pre-empt other origins", async () => {
  const { run, store } = applier();
  const before = Date.now() - 1_000;
  expect((await run(peerUnban("rogue"))).outcome).toBe("unchanged");
  expect(store.tombstoneAt("198.51.100.7")).toBeUndefined();
  // A trusted peer's ban decided before the rogue's unban still applies.
  expect((await run({ source: "meshd", origin: "peer-a", at: before })).outcome).toBe("added");
});

test("an operator unban on this node still lifts any ban, and the tombstone holds", async () => {
  const { run, store } = applier();
  await run({ source: "meshd", origin: "peer-a" });
  expect((await run({ action: "unban", reasons: 0, source: "apid", origin: "local" })).outcome).toBe("removed");
  expect(store.tombstoneAt("198.51.100.7")).toBeDefined();
});
