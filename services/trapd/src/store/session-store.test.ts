import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import type { TrapSession } from "@honeymesh/schema/trap";
import * as schema from "@honeymesh/tables/trapd";
import { sessions } from "@honeymesh/tables/trapd";
import { SessionStore, type SessionRow } from "./session-store.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function fresh(maxQueued?: number): SessionStore {
  const dir = mkdtempSync(join(tmpdir(), "hm-trapd-store-"));
  dirs.push(dir);
  return new SessionStore(openStore({ path: join(dir, "trapd.sqlite"), schema, migrationsFolder: join(import.meta.dir, "..", "..", "drizzle") }), maxQueued);
}

const session = (i: number, endedAt: number): TrapSession => ({
  session_id: `test-session-${i}`, service: "ftp", src: "198.51.100.9", src_port: 40000 + i, dst: "192.0.2.1", dst_port: 2121,
  started_at: endedAt - 10, ended_at: endedAt, bytes_in: 3, bytes_out: 20, credentials: [{ method: "password", username: "root", password: "x" }],
  commands: ["USER root"], payload_b64: Buffer.from("abc").toString("base64"), entropy: 1.58, meta: {}, end_reason: "closed",
});

test("sessions round-trip, and the pruner keeps only the recent and the newest N", () => {
  const s = fresh();
  for (let i = 0; i < 10; i++) s.add(session(i, i < 3 ? 1_000 : 1_000_000 + i));
  s.flush();
  expect(s.count()).toBe(10);
  expect(s.prune(100_000, 1_000, 1_050_000)).toBe(3); // the three old ones
  expect(s.count()).toBe(7);
  expect(s.prune(10_000_000, 5, 1_050_000)).toBe(2); // count cap: the two oldest of the rest
  expect(s.count()).toBe(5);
});

test("a full queue drops and counts instead of growing", () => {
  const s = fresh(3);
  expect([1, 2, 3, 4].map((i) => s.add(session(i, 5)))).toEqual([true, true, true, false]);
  expect(s.dropped).toBe(1);
  s.flush();
  expect(s.count()).toBe(3);
});

test("a stored row reads back through the drizzle table as the session it came from; a repeated id is kept once", () => {
  const s = fresh();
  const shell: TrapSession = { ...session(1, 2_000), command_at: [5, 9], transcript: "$ id\r\n", meta: { client: "SSH-2.0-x", "é": "\u0001" } };
  const bare: TrapSession = { ...session(2, 2_001), credentials: [], commands: [], payload_b64: "", meta: {} };
  for (const x of [shell, bare, { ...shell, src: "203.0.113.1" }]) s.add(x);
  s.flush();
  const rows = (s as unknown as { store: { db: { select(): { from(t: unknown): { all(): SessionRow[] } } } } }).store.db.select().from(sessions).all();
  expect(rows.length).toBe(2);
  const [a, b] = rows.sort((x, y) => x.startedAt - y.startedAt);
  expect({ ...a!, seq: 0 }).toEqual({
    seq: 0, sessionId: shell.session_id, service: "ftp", src: "198.51.100.9", srcPort: shell.src_port, dst: "192.0.2.1", dstPort: 2121,
    startedAt: shell.started_at, endedAt: shell.ended_at, bytesIn: 3, bytesOut: 20, credentials: shell.credentials, commands: ["USER root"],
    payload: Buffer.from("abc"), entropy: 1.58, meta: shell.meta, endReason: "closed", capture: { command_at: [5, 9], transcript: "$ id\r\n" },
  });
  expect(b!.capture).toBeNull();
  expect(Buffer.from(b!.payload).length).toBe(0);
  expect([b!.credentials, b!.commands, b!.meta]).toEqual([[], [], {}]);
});
