import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { REASONS } from "@honeymesh/ban/reasons";
import { openStore } from "@honeymesh/db/open";
import type { FeedUpdate } from "@honeymesh/schema/feed";
import * as schema from "@honeymesh/tables/enforcerd";
import type { KernelPort } from "../kernel-port.ts";
import { BanStore } from "../store/ban-store.ts";
import { FeedApplier } from "./feed-applier.ts";
import { FeedRows } from "./feed-rows.ts";
import { ProtectedSet } from "../protected/protected-set.ts";
import { packV4 } from "@honeymesh/feeds/v4-pack";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A real store; the kernel side records the calls in order (the XDP path is test/feeds). */
function setup(allowed: string[] = [], resolvers: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "hm-feed-applier-"));
  dirs.push(dir);
  const store = openStore({ path: join(dir, "enforcerd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle") });
  const bans = new BanStore(store);
  const allow = new AllowSet();
  allow.add(allowed, "config");
  const calls: string[] = [];
  const kernel = {
    upsertBans: (b: { address: string; reasons: number }[]) => (calls.push(`up:${b.map((x) => `${x.address}=${x.reasons}`).join(",")}`), { count: b.length, rejected: [] }),
    removeBans: (a: string[]) => (calls.push(`rm:${a.join(",")}`), { count: a.length, rejected: [] }),
  } as unknown as KernelPort;
  const protect = new ProtectedSet({ fixed: () => ({ resolver: resolvers, ntp: [], peer: [] }), sessions: () => new Set(["192.0.2.99"]) }, { sessionMaxAgeMs: 1000, fixedMaxAgeMs: 30_000 });
  return { bans, applier: new FeedApplier(new FeedRows(store.sqlite), allow, () => kernel, protect, 10), calls };
}

let n = 0;
const upd = (over: Partial<FeedUpdate>): FeedUpdate => ({ id: `feed:test:${n++}`, feed: "level1", origin: "node-a", part: 0, last: true, add: [], remove: [], add_v4: "", remove_v4: "", at: Date.now(), ...over });

test("a feed's entries become permanent EXTERNAL bans with source feed:<name> and the feed as evidence", () => {
  const { bans, applier, calls } = setup();
  const r = applier.accept(upd({ add: ["192.0.2.1", "198.51.100.0/24"] }))!;
  expect(r).toMatchObject({ outcome: "applied", added: 2 });
  expect(bans.get("192.0.2.1")).toMatchObject({ reasons: REASONS.EXTERNAL, expiresAt: 0, source: "feed:level1", origin: "node-a", evidence: [{ kind: "external", summary: "feed level1" }] });
  expect(bans.get("198.51.100.0/24")?.kind).toBe("cidr");
  expect(calls).toEqual(["up:192.0.2.1=64,198.51.100.0/24=64", "rm:"]);
});

test("the allowlist wins and is counted; non-canonical text is refused", () => {
  const { bans, applier } = setup(["192.0.2.0/28"]);
  const r = applier.accept(upd({ add: ["192.0.2.5", "192.0.2.0/24", "2001:DB8::1"] }))!;
  // The /24 contains the allowlisted /28 but is not inside it: it is banned, the kernel spares the /28.
  expect(r).toMatchObject({ added: 1, refused_allowlisted: 1, refused_bad_address: 1 });
  expect(bans.get("192.0.2.5")).toBeUndefined();
  expect(bans.get("192.0.2.0/24")).toBeDefined();
});

test("the protected set wins too: a resolver, or a prefix holding one, is refused; a live session is not protection from a list", () => {
  const { bans, applier } = setup([], ["198.51.100.53", "2001:db8::53"]);
  const r = applier.accept(upd({ add: ["198.51.100.53", "198.51.100.0/24", "2001:db8::/32", "192.0.2.99", "192.0.2.1"] }))!;
  expect(r).toMatchObject({ added: 2, refused_protected: 3 });
  expect(bans.get("192.0.2.99")).toBeDefined();
  expect(bans.get("198.51.100.0/24")).toBeUndefined();
});

test("a swap applies adds before removes, in one kernel batch each", () => {
  const { bans, applier, calls } = setup();
  applier.accept(upd({ add: ["192.0.2.1", "192.0.2.2"] }));
  calls.length = 0;
  const r = applier.accept(upd({ add: ["192.0.2.3"], remove: ["192.0.2.1"] }))!;
  expect(r).toMatchObject({ added: 1, removed: 1 });
  expect(calls).toEqual(["up:192.0.2.3=64", "rm:192.0.2.1"]);
  expect(bans.get("192.0.2.1")).toBeUndefined();
  expect(bans.count()).toBe(2);
});

test("an address banned for something else keeps its expiry and other reasons; the feed's removal lifts only EXTERNAL", () => {
  const { bans, applier, calls } = setup();
  const expiresAt = Date.now() + 3_600_000;
  bans.apply({ address: "203.0.113.9", kind: "ip", reasons: REASONS.TRAP, expiresAt, origin: "node-a", source: "scand", evidence: [{ kind: "trap", summary: "TRAP: ssh" }], at: 0, confidence: "verified", counts: true });
  expect(applier.accept(upd({ add: ["203.0.113.9"] }))).toMatchObject({ merged: 1 });
  expect(bans.get("203.0.113.9")).toMatchObject({ reasons: REASONS.TRAP | REASONS.EXTERNAL, expiresAt, source: "scand" });
  expect(applier.accept(upd({ add: ["203.0.113.9"] }))).toMatchObject({ unchanged: 1, merged: 0 });
  calls.length = 0;
  expect(applier.accept(upd({ remove: ["203.0.113.9"] }))).toMatchObject({ reduced: 1 });
  expect(bans.get("203.0.113.9")).toMatchObject({ reasons: REASONS.TRAP, expiresAt, evidence: [{ kind: "trap", summary: "TRAP: ssh" }] });
  expect(calls[0]).toBe("up:203.0.113.9=1");
  // Another feed's removal does not touch it.
  expect(applier.accept(upd({ feed: "other", remove: ["203.0.113.9"] }))).toMatchObject({ unchanged: 1 });
});

test("an address unbanned after the snapshot was taken stays unbanned (tombstone)", () => {
  const { bans, applier } = setup();
  bans.remove("192.0.2.77", Date.now() + 1000, "node-a");
  expect(applier.accept(upd({ add: ["192.0.2.77"] }))).toMatchObject({ refused_tombstoned: 1, added: 0 });
});

test("parts collect until the last; out-of-order parts and oversized updates are refused, nothing applied", () => {
  const { bans, applier } = setup();
  const id = "feed:test:parts";
  expect(applier.accept(upd({ id, part: 0, last: false, add: ["192.0.2.1"] }))).toBeUndefined();
  expect(bans.count()).toBe(0);
  expect(applier.accept(upd({ id, part: 1, last: true, add: ["192.0.2.2"] }))).toMatchObject({ added: 2 });
  expect(applier.accept(upd({ id: "feed:test:gap", part: 0, last: false, add: ["192.0.2.3"] }))).toBeUndefined();
  expect(applier.accept(upd({ id: "feed:test:gap", part: 2, last: true, add: ["192.0.2.4"] }))).toMatchObject({ outcome: "refused" });
  const many = Array.from({ length: 11 }, (_, i) => `198.51.100.${i}`);
  expect(applier.accept(upd({ add: many }))).toMatchObject({ outcome: "refused" });
  expect(bans.count()).toBe(2);
});

test("packed IPv4 addresses apply like text ones; a packed field that is not whole 32-bit values refuses the update", () => {
  const { bans, applier } = setup(["192.0.2.7"]);
  const v = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  expect(applier.accept(upd({ add_v4: packV4([v("192.0.2.5"), v("192.0.2.6"), v("192.0.2.7")]) }))).toMatchObject({ added: 2, refused_allowlisted: 1 });
  expect(bans.get("192.0.2.5")?.source).toBe("feed:level1");
  expect(applier.accept(upd({ remove_v4: packV4([v("192.0.2.5")]) }))).toMatchObject({ removed: 1 });
  expect(applier.accept(upd({ add_v4: "AAAA" }))).toMatchObject({ outcome: "refused" });
  expect(applier.accept(upd({ add_v4: "not base64!" }))).toMatchObject({ outcome: "refused" });
  expect(bans.get("192.0.2.6")).toBeDefined();
});
