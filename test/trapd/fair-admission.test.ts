// 70 sources (loopback addresses 127.x.0.1, each its own /24) hold idle connections up to trapd's
// global cap; a new source then connects. Before, it was reset and never recorded; now the
// heaviest holder's oldest idle session is closed for it, and its session is on the bus and in
// trapd.sqlite (issue 13). Real trapd, real broker, real SQLite.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createConnection, type Socket } from "node:net";
import { waitFor } from "../support/bus-node.ts";
import { TrapNode } from "./harness.ts";

const SOURCES = 70;
const PER_SOURCE = 4;
const CAP = SOURCES * PER_SOURCE;

describe("trapd shares its connection budget fairly", () => {
  let trap: TrapNode;
  const held: Socket[] = [];
  beforeAll(async () => {
    trap = await new TrapNode({
      HONEYMESH_TRAPS_MAX_CONCURRENT: String(CAP),
      HONEYMESH_TRAPS_MAX_CONCURRENT_PER_SOURCE: String(PER_SOURCE),
      HONEYMESH_TRAPS_HIT_COALESCE_MS: "0",
      HONEYMESH_TRAPS_IDLE_TIMEOUT_S: "300",
    }).start();
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await trap?.stop();
  });

  const connect = (src: string) =>
    new Promise<Socket>((resolve, reject) => {
      const s = createConnection({ host: "127.0.0.1", port: trap.ports.redis, localAddress: src }, () => resolve(s));
      s.on("error", reject);
    });

  test("with the cap held by idle connections from 70 sources, a new source's session is recorded", async () => {
    const ports = new Set<number>();
    for (let i = 0; i < SOURCES; i++) {
      for (let k = 0; k < PER_SOURCE; k++) {
        const s = await connect(`127.${i + 1}.0.1`);
        s.on("error", () => {});
        held.push(s);
        ports.add(s.localPort!);
      }
    }
    // Every held connection was admitted (a hit on the bus each): the cap is full.
    await waitFor(() => trap.hits().filter((h) => ports.has(h.src_port) && h.service === "redis").length === CAP, 30_000, `${CAP} hits`);

    const newcomer = "127.200.0.1";
    const s = await connect(newcomer);
    const port = s.localPort!;
    const reply = await new Promise<string>((resolve) => {
      s.once("data", (d) => resolve(String(d)));
      s.write("*3\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$3\r\ndir\r\n");
    });
    expect(reply).toBe("+OK\r\n");
    s.end();
    const session = await trap.waitSession((x) => x.src === newcomer && x.src_port === port, "the newcomer's session");
    expect(session.commands).toEqual(["CONFIG SET dir"]);
    expect(trap.hits().some((h) => h.src === newcomer && h.src_port === port)).toBe(true);
    expect((await trap.waitStored(session.session_id)).src).toBe(newcomer);
    // Room was made by closing one idle session of a source holding the most, recorded as evicted.
    const evicted = trap.sessions().filter((x) => x.end_reason === "evicted");
    expect(evicted).toHaveLength(1);
    expect(evicted[0]!.src).toMatch(/^127\.\d+\.0\.1$/);
    expect(ports.has(evicted[0]!.src_port)).toBe(true);
  }, 90_000);
});
