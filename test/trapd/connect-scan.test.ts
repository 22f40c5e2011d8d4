// nmap -sT (a full connect scan: SYN, SYN-ACK, ACK, then RST at once) from an attacker namespace
// against the real trapd: every hit and session, on the bus and in trapd.sqlite, carries the
// scanner's address and a real source port, over IPv4 and IPv6 (issue 11).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TrapSession } from "../../packages/schema/src/trap.ts";
import { waitFor } from "../support/bus-node.ts";
import { createNetnsPair, type NetnsPair } from "../support/netns.ts";
import { TRAPS, TrapNode } from "./harness.ts";

const missing = ["nmap", "nsenter"].filter((t) => !Bun.which(t));
const skip = process.getuid?.() !== 0 ? "needs root for network namespaces" : missing.length ? `missing tools (apt-get install -y nmap): ${missing.join(", ")}` : undefined;
if (skip) console.warn(`trapd connect-scan tests skipped: ${skip}`);

describe.skipIf(Boolean(skip))("trapd under nmap -sT from an attacker namespace", () => {
  let pair: NetnsPair;
  let trap: TrapNode;

  beforeAll(async () => {
    pair = createNetnsPair();
    // hit_coalesce 0: every connection is published as a hit, so every one can be checked.
    trap = await new TrapNode({ HONEYMESH_TRAPS_MAX_CONCURRENT_PER_SOURCE: "64", HONEYMESH_TRAPS_HIT_COALESCE_MS: "0" }, pair).start();
    expect(trap.metrics()?.traps_listening).toBe(7);
  });
  afterAll(async () => {
    await trap?.stop();
    pair?.destroy();
  });

  for (const family of ["v4", "v6"] as const) {
    test(`nmap -sT over ${family}: every session and hit names the scanner and its source port`, async () => {
      const ports = TRAPS.map((t) => trap.ports[t]);
      const from = trap.lines.length;
      const target = pair.victim[family];
      const scanner = pair.attacker[family];
      // Two rounds: IPv6 neighbour discovery on a fresh veth can eat the first probes.
      for (let round = 0; round < 2; round++) {
        const r = await pair.run("attacker", ["nmap", "-sT", "-Pn", "-n", ...(family === "v6" ? ["-6"] : []), "-p", ports.join(","), target], 120_000);
        expect(r.code).toBe(0);
        for (const p of ports) expect(r.stdout).toMatch(new RegExp(`^${p}/tcp\\s+open`, "m"));
      }
      const mine = (s: { dst_port: number }) => ports.includes(s.dst_port);
      // Sessions of the other family's round may still be closing (a Telnet session waits for its
      // idle timeout): this round's sessions are the ones to this round's target address.
      const thisFamily = (s: TrapSession) => s.dst.includes(":") === (family === "v6");
      const newSessions = () => trap.lines.slice(from).filter((l) => l.topic === "session").map((l) => l.d as unknown as TrapSession).filter(mine).filter(thisFamily);
      // Every trap port saw at least one connect-scan session.
      await waitFor(() => ports.every((p) => newSessions().some((s) => s.dst_port === p)), 20_000, "a session on every trap port");
      const sessions = newSessions();
      for (const s of sessions) {
        expect({ port: s.dst_port, src: s.src, dst: s.dst }).toEqual({ port: s.dst_port, src: scanner, dst: target });
        expect(s.src_port).toBeGreaterThan(0);
      }
      const hits = trap.lines.slice(from).filter((l) => l.topic === "hit").map((l) => l.d as { src: string; src_port: number; dst_port: number }).filter(mine);
      expect(hits.length).toBeGreaterThanOrEqual(ports.length);
      for (const h of hits) {
        expect(h.src).toBe(scanner);
        expect(h.src_port).toBeGreaterThan(0);
      }
      for (const s of sessions) {
        const row = await trap.waitStored(s.session_id);
        expect(row.src).toBe(scanner);
        expect(row.src_port).toBe(s.src_port);
      }
      // Nothing was refused for want of an address.
      expect(trap.metrics()?.drops.no_peer_address).toBe(0);
    }, 200_000);
  }
});
