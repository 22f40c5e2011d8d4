import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import type { Server } from "bun";
import { ApidError } from "../errors.ts";

/** The gid of group `honeymesh`, when the host has one (installed node; a checkout may not). */
export function honeymeshGid(): number | undefined {
  try {
    for (const line of readFileSync("/etc/group", "utf8").split("\n")) {
      const [name, , gid] = line.split(":");
      if (name === "honeymesh" && gid && /^\d+$/.test(gid)) return Number(gid);
    }
  } catch {
    // no /etc/group: file modes alone decide
  }
  return undefined;
}

/**
 * The local API socket (LAYOUT: `<runtime>/api.sock`, 0660 group honeymesh). Whoever can open it
 * is admin: the kernel's permission check on connect(2) (unix(7): "connecting to the socket
 * requires write permission") is the authentication, so the CLI and the Fail2Ban action need no
 * token in argv or in a file. Bun does not expose the accepted fd, so SO_PEERCRED is not read.
 * The socket is created under umask 0117, so it is never reachable more widely, even briefly.
 */
export async function listenLocal(path: string, maxBody: number, handle: (r: Request) => Response | Promise<Response>): Promise<Server<undefined>> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  if (existsSync(path)) {
    if (!lstatSync(path).isSocket()) throw new ApidError("UNAVAILABLE", `[api] socket = "${path}" exists and is not a socket; remove it or choose another path`);
    if (await answers(path)) throw new ApidError("UNAVAILABLE", `[api] socket = "${path}": another apid is serving on it`);
    // Left by an apid that died.
    unlinkSync(path);
  }
  const gid = honeymeshGid();
  const old = process.umask(0o117);
  let server: Server<undefined>;
  try {
    // idleTimeout above the stream keep-alive (15 s), as on TCP; the typings omit it for unix sockets.
    server = Bun.serve({ unix: path, fetch: (r: Request) => handle(r), maxRequestBodySize: maxBody, idleTimeout: 60 } as unknown as Parameters<typeof Bun.serve>[0]) as Server<undefined>;
  } catch (e) {
    throw new ApidError("UNAVAILABLE", `[api] socket = "${path}": cannot listen: ${(e as Error).message}`);
  } finally {
    process.umask(old);
  }
  chmodSync(path, 0o660);
  if (gid !== undefined) {
    try {
      chownSync(path, -1, gid);
    } catch {
      // not a member of honeymesh: the socket stays owner-only plus our own group
    }
  }
  return server;
}

async function answers(path: string): Promise<boolean> {
  try {
    await fetch("http://localhost/v1/health", { unix: path, signal: AbortSignal.timeout(1000) } as RequestInit);
    return true;
  } catch {
    return false;
  }
}
