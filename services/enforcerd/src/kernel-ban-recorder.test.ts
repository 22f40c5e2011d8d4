import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { REASONS } from "@honeymesh/ban/reasons";
import { openStore } from "@honeymesh/db/open";
import type { BanChange } from "@honeymesh/schema/ban";
import { createLogger } from "@honeymesh/telemetry/logger";
import * as schema from "@honeymesh/tables/enforcerd";
import { DecisionApplier } from "./decisions/apply-decision.ts";
import { FAST_PATH_EVIDENCE, KernelBanRecorder } from "./kernel-ban-recorder.ts";
import { BanStore } from "./store/ban-store.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A real store and applier; the kernel is a record of the calls (the kernel side has its own tests). */
function setup(allowed: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "hm-kernel-ban-"));
  dirs.push(dir);
  const store = new BanStore(openStore({ path: join(dir, "enforcerd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "drizzle") }));
  const allow = new AllowSet();
  allow.add(allowed, "config");
  const calls = { upserts: [] as string[], removes: [] as string[] };
  const kernel = {
    upsertBans: (b: { address: string }[]) => (calls.upserts.push(...b.map((x) => x.address)), { count: b.length, rejected: [] }),
    removeBans: (a: string[]) => (calls.removes.push(...a), { count: a.length, rejected: [] }),
  };
  const changes: BanChange[] = [];
  const logger = createLogger("enforcerd", "error", () => {});
  const applier = new DecisionApplier({ store, kernel: () => kernel as never, allow, publish: async (c) => void changes.push(c), results: async () => {}, maxTtlS: 86_400, tracer: trace.getTracer("t"), logger });
  const recorder = new KernelBanRecorder({ store, kernel: () => kernel, apply: (items) => applier.applyBatch(items), nodeId: "node-a", logger });
  return { store, calls, changes, recorder };
}

test("a fast-path ban becomes a SCAN ban of this node from source kernel, for the kernel entry's remaining time", async () => {
  const { store, calls, changes, recorder } = setup();
  const now = Date.now();
  const [r] = await recorder.record([{ address: "192.0.2.10", atMs: now - 1000, expiresAtMs: now + 599_000, ports: [22, 80, 443], portCount: 3, windowS: 60 }]);
  expect(r).toMatchObject({ outcome: "added" });
  const row = store.get("192.0.2.10")!;
  expect(row).toMatchObject({ reasons: REASONS.SCAN, source: "kernel", origin: "node-a", confidence: "unverified" });
  expect(row.evidence[0]).toMatchObject({ kind: "scan", ports: [22, 80, 443], count: 3, window_s: 60 });
  expect(row.evidence[0]!.summary).toStartWith(FAST_PATH_EVIDENCE);
  expect(Math.abs(row.expiresAt - (now + 599_000))).toBeLessThan(1_500);
  expect(calls.upserts).toEqual(["192.0.2.10"]); // rewritten from the store: the kernel-made flag is gone
  expect(changes.map((c) => c.change)).toEqual(["added"]);
  expect(recorder.counts.snapshot()).toEqual({ recorded: 1 });
});

test("a refused one (allowlisted by the store's view) is lifted in the kernel again; an expired one is skipped", async () => {
  const { store, calls, recorder } = setup(["198.51.100.0/24"]);
  const now = Date.now();
  const results = await recorder.record([
    { address: "198.51.100.9", atMs: now, expiresAtMs: now + 600_000 },
    { address: "192.0.2.11", atMs: now - 700_000, expiresAtMs: now - 100_000 },
  ]);
  expect(results.map((r) => [r.outcome, r.refusal])).toEqual([["refused", "allowlisted"]]);
  expect(store.get("198.51.100.9")).toBeUndefined();
  expect(store.get("192.0.2.11")).toBeUndefined();
  expect(calls.removes).toEqual(["198.51.100.9"]);
});

test("a refused record lifts the kernel entry only when the store holds no live ban for the address", async () => {
  const { calls, recorder, store } = setup();
  const now = Date.now();
  await recorder.record([{ address: "192.0.2.12", atMs: now, expiresAtMs: now + 600_000 }]);
  // The operator unbanned it after that crossing: a record of the same crossing is refused and lifted…
  store.remove("192.0.2.12", now + 10, "node-a");
  const [stale] = await recorder.record([{ address: "192.0.2.12", atMs: now, expiresAtMs: now + 600_000 }]);
  expect(stale).toMatchObject({ outcome: "refused", refusal: "tombstoned" });
  expect(calls.removes).toEqual(["192.0.2.12"]);
  // …but once a later crossing banned it again, a stale record's refusal leaves the kernel alone.
  await recorder.record([{ address: "192.0.2.12", atMs: now + 20, expiresAtMs: now + 600_000 }]);
  const [again] = await recorder.record([{ address: "192.0.2.12", atMs: now, expiresAtMs: now + 600_000 }]);
  expect(again).toMatchObject({ outcome: "refused", refusal: "tombstoned" });
  expect(store.get("192.0.2.12")).toMatchObject({ source: "kernel" });
  expect(calls.removes).toEqual(["192.0.2.12"]);
  expect(recorder.counts.snapshot()).toEqual({ recorded: 2, refused: 2, lifted: 1 });
});
