import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import { groupId, NODE_GROUP } from "@honeymesh/runtime/accounts";
import { MAX_SOCKET_PATH, splitHostPort } from "@honeymesh/runtime/bus-url";

/** Listens on a TCP host:port. */
export async function listenTcp(listen: string, onSocket: (s: Socket) => void): Promise<Server> {
  const server = createServer(onSocket);
  const { host, port } = splitHostPort(listen);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/**
 * Listens on a Unix socket, mode 0660 and group honeymesh when that group exists: connecting
 * needs write permission on the socket file (unix(7)), so only the node's users can.
 * A socket file left by a crashed broker is replaced; one a live broker answers on is not.
 */
export async function listenUnix(path: string, onSocket: (s: Socket) => void): Promise<Server> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) throw new Error(`bus socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes (unix(7)); set [bus] socket to a shorter path`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  if (existsSync(path)) {
    if (!lstatSync(path).isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
    if (await answers(path)) throw new Error(`another broker is listening on ${path}`);
    rmSync(path, { force: true });
  }
  const server = createServer(onSocket);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o660);
  const gid = groupId(NODE_GROUP);
  if (gid !== undefined && gid !== process.getgid?.()) {
    try {
      chownSync(path, -1, gid);
    } catch {
      // Not a member of the group and not root: the socket stays with our own group.
    }
  }
  return server;
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ path });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}
