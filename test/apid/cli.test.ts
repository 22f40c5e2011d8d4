import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/bus-node.ts";
import { ApiNode } from "./harness.ts";

let n: ApiNode;
beforeAll(async () => {
  n = await new ApiNode().start();
});
afterAll(() => n?.stop());

describe("operator CLI against a running apid (over its local socket, no token)", () => {
  test("ban, bans, unban: human and --json output, exit codes", async () => {
    const ban = await n.cli(["ban", "198.51.100.61", "--ttl", "2h"]);
    expect(ban.code).toBe(0);
    expect(ban.out).toContain("198.51.100.61: added: banned 198.51.100.61 for MANUAL");
    const list = await n.cli(["bans"]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/ADDRESS\s+REASONS\s+EXPIRES/);
    expect(list.out).toMatch(/198\.51\.100\.61\s+MANUAL\s+in (1h59m|2h0m)/);
    expect(list.out).not.toContain("\x1b["); // not a TTY: no colour
    const json = await n.cli(["bans", "--json"]);
    expect(JSON.parse(json.out)).toEqual([expect.objectContaining({ address: { kind: "ip", text: "198.51.100.61" }, reasons: ["MANUAL"] })]);
    const perm = await n.cli(["ban", "2001:db8:61::/48", "--ttl", "permanent", "--reason", "external", "--json"]);
    expect(JSON.parse(perm.out).ban).toMatchObject({ expires_at: 0, reasons: ["EXTERNAL"] });
    const un = await n.cli(["unban", "198.51.100.61", "--local"]);
    expect(un.code).toBe(0);
    expect(un.out).toContain("198.51.100.61: removed: unbanned 198.51.100.61\n(this node only)");
    expect(JSON.parse((await n.cli(["bans", "--json"])).out).map((b: { address: { text: string } }) => b.address.text)).toEqual(["2001:db8:61::/48"]);
    // Unbanning what is not banned says so, and an address inside a banned prefix is still dropped.
    const inside = await n.cli(["unban", "2001:db8:61::5"]);
    expect(inside.code).toBe(1);
    expect(inside.out).toContain("2001:db8:61::5: unchanged: 2001:db8:61::5 was not banned; still covered by 2001:db8:61::/48 (EXTERNAL)");
    const contains = JSON.parse((await n.cli(["bans", "--contains", "2001:db8:61::5", "--json"])).out);
    expect(contains.map((b: { address: { text: string } }) => b.address.text)).toEqual(["2001:db8:61::/48"]);
    expect(JSON.parse((await n.cli(["bans", "--contains", "2001:db8:62::5", "--json"])).out)).toEqual([]);
  });

  test("usage errors exit 2, refusals and an unreachable API exit 1", async () => {
    const bad = await n.cli(["ban", "300.1.1.1"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("address");
    expect((await n.cli(["ban", "198.51.100.62", "--ttl", "soon"])).code).toBe(2);
    expect((await n.cli(["ban"])).code).toBe(2);
    expect((await n.cli(["bans", "--frobnicate"])).code).toBe(2);
    const allowlisted = await n.cli(["ban", "127.0.0.1"]);
    expect(allowlisted.code).toBe(1);
    expect(allowlisted.err).toContain("allowlist");
    const down = await n.cli(["bans"], { HONEYMESH_API_LISTEN: "127.0.0.1:1", HONEYMESH_API_SOCKET: "/nonexistent/api.sock" });
    expect(down.code).toBe(1);
    expect(down.err).toContain("cannot reach apid");
  });

  test("allow add/ls/rm, events, peers, export", async () => {
    expect((await n.cli(["allow", "add", "192.0.2.0/25", "--note", "lab"])).code).toBe(0);
    const ls = await n.cli(["allow", "ls"]);
    expect(ls.out).toMatch(/192\.0\.2\.0\/25\s+operator\s+lab/);
    expect(ls.out).toMatch(/127\.0\.0\.0\/8\s+system/);
    expect((await n.cli(["allow", "rm", "192.0.2.0/25"])).code).toBe(0);
    expect((await n.cli(["allow", "ls", "--json"])).out).not.toContain("192.0.2.0/25");
    expect((await n.cli(["events"])).out).toContain("no trap sessions");
    expect(JSON.parse((await n.cli(["events", "--json"])).out)).toEqual([]);
    expect((await n.cli(["peers"])).code).toBe(0);
    const file = join(n.node.stateDir, "cli-export.csv");
    expect((await n.cli(["export", "--format", "csv", "--output", file])).code).toBe(0);
    expect(readFileSync(file, "utf8").split("\r\n")[0]).toBe("address,kind,reasons,expires_at,created_at,updated_at,origin,source,offence,evidence,confidence");
    const nd = await n.cli(["export", "--format", "ndjson"]);
    expect(nd.out.trim().split("\n").map((l) => JSON.parse(l).address.text)).toEqual(["2001:db8:61::/48"]);
    expect((await n.cli(["export", "--format", "xml"])).code).toBe(2);
  });

  test("token create/list/revoke; a read token cannot ban", async () => {
    const made = await n.cli(["token", "create", "--scope", "read", "--name", "dashboard"]);
    expect(made.code).toBe(0);
    const tok = made.out.trim();
    const denied = await n.cli(["ban", "198.51.100.63", "--token", tok]);
    expect(denied.code).toBe(1);
    expect(denied.err).toContain("scope write");
    expect((await n.cli(["bans", "--token", tok])).code).toBe(0);
    const list = JSON.parse((await n.cli(["token", "list", "--json"])).out) as { id: string; name: string }[];
    const id = list.find((t) => t.name === "dashboard")!.id;
    expect((await n.cli(["token", "revoke", id])).code).toBe(0);
    expect((await n.cli(["bans", "--token", tok])).code).toBe(1);
    const bouncer = await n.cli(["token", "create", "--bouncer", "--json"]);
    expect(JSON.parse(bouncer.out)).toMatchObject({ kind: "bouncer", scope: "bouncer" });
  });

  test("events --follow prints live decisions and ban changes", async () => {
    const p = Bun.spawn([process.execPath, join(ROOT, "cli/src/main.ts"), "events", "--follow", "--json"], { cwd: ROOT, env: n.env(), stdout: "pipe" });
    await Bun.sleep(1500);
    await n.cli(["ban", "198.51.100.64", "--ttl", "60"]);
    const reader = p.stdout.getReader();
    let text = "";
    const deadline = Date.now() + 8000;
    while (!text.includes('"event":"ban"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    p.kill("SIGINT");
    await p.exited;
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toContainEqual(expect.objectContaining({ event: "ban", data: expect.objectContaining({ change: "added", address: { kind: "ip", text: "198.51.100.64" } }) }));
  });
});

describe("Fail2Ban action (deploy/fail2ban/action.d/honeymesh.conf)", () => {
  /** Fail2Ban's tag substitution for the action's [Init] values and a ticket's tags. */
  function command(kind: "actionban" | "actionunban", tags: Record<string, string>): string {
    const text = readFileSync(join(ROOT, "deploy/fail2ban/action.d/honeymesh.conf"), "utf8");
    const line = text.split("\n").find((l) => l.startsWith(`${kind} =`))!;
    return line.slice(line.indexOf("=") + 1).trim().replace(/<(\w+)>/g, (_, k: string) => tags[k] ?? `<${k}>`);
  }
  const CLI = `${process.execPath} ${join(ROOT, "cli/src/main.ts")}`;

  test("actionban makes an EXTERNAL ban with the jail's bantime; actionunban ends it", async () => {
    const sh = (cmd: string) => Bun.spawn(["sh", "-c", cmd], { cwd: ROOT, env: n.env(), stdout: "pipe", stderr: "pipe" }).exited;
    expect(await sh(command("actionban", { honeymesh: CLI, options: "", ip: "203.0.113.70", bantime: "600" }))).toBe(0);
    const ban = (await n.req("GET", "/v1/bans/203.0.113.70")).json;
    expect(ban.reasons).toEqual(["EXTERNAL"]);
    expect(Math.round((ban.expires_at - Date.now()) / 1000)).toBeGreaterThan(590);
    expect(await sh(command("actionban", { honeymesh: CLI, options: "", ip: "203.0.113.71", bantime: "-1" }))).toBe(0);
    expect((await n.req("GET", "/v1/bans/203.0.113.71")).json.expires_at).toBe(0);
    expect(await sh(command("actionunban", { honeymesh: CLI, options: "", ip: "203.0.113.70", bantime: "600" }))).toBe(0);
    expect((await n.req("GET", "/v1/bans/203.0.113.70")).status).toBe(404);
  });

  test("Fail2Ban's unban of an address HoneyMesh also holds for its own reasons is kept, and the CLI says so", async () => {
    const sh = (cmd: string) => Bun.spawn(["sh", "-c", cmd], { cwd: ROOT, env: n.env(), stdout: "pipe", stderr: "pipe" });
    expect((await n.req("POST", "/v1/bans", { body: { address: "198.18.60.4", reason: ["MANUAL"], ttl_s: 600 } })).status).toBe(201);
    expect(await sh(command("actionban", { honeymesh: CLI, options: "", ip: "198.18.60.4", bantime: "600" })).exited).toBe(0);
    expect((await n.req("GET", "/v1/bans/198.18.60.4")).json.reasons).toEqual(["MANUAL", "EXTERNAL"]);
    const un = sh(command("actionunban", { honeymesh: CLI, options: "", ip: "198.18.60.4", bantime: "600" }));
    const out = await new Response(un.stdout).text();
    // What Fail2Ban asked for happened (its EXTERNAL reason is lifted): exit 0, and the line says the ban stays.
    expect(await un.exited).toBe(0);
    expect(out).toContain("198.18.60.4: kept: 198.18.60.4 is still banned for MANUAL");
    expect((await n.req("GET", "/v1/bans/198.18.60.4")).json.reasons).toEqual(["MANUAL"]);
  });
});
