import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@honeymesh/config/load";
import { waitBusCommand } from "./wait-bus.ts";

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A config whose bus socket is in a fresh temp dir and whose TCP listen is a closed port. */
function config() {
  const dir = mkdtempSync(join(tmpdir(), "hm-waitbus-"));
  dirs.push(dir);
  const socket = join(dir, "bus.sock");
  // Port 1 on loopback: nothing listens there, so only the socket can answer.
  return { socket, config: loadConfig({ path: join(dir, "absent.toml"), explicit: false, env: { HONEYMESH_NODE_STATE_DIR: dir, HONEYMESH_BUS_SOCKET: socket, HONEYMESH_BUS_LISTEN: "127.0.0.1:1" } }) };
}

test("wait-bus probes the broker's Unix socket, where the services connect", async () => {
  const { socket, config: c } = config();
  const server = createServer((s) => s.destroy());
  servers.push(server);
  await new Promise<void>((r) => server.listen(socket, r));
  expect(await waitBusCommand(c, 2)).toBe(0);
});

test("wait-bus exits 1 when nothing answers on the socket within the timeout", async () => {
  const { config: c } = config();
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    expect(await waitBusCommand(c, 0.3)).toBe(1);
  } finally {
    process.stderr.write = orig;
  }
});
