import { readFileSync } from "node:fs";
import { formatIp } from "@honeymesh/net/address";

/** TCP_ESTABLISHED in the `st` column of /proc/net/tcp (include/net/tcp_states.h). */
const ESTABLISHED = "01";
/** Bound on what one read considers: a node with more sockets than this is protected for the first ones. */
const MAX_LINES = 200_000;

/**
 * Remote addresses with an established TCP connection to a local port that is not a trap, from
 * /proc/net/tcp and /proc/net/tcp6 (proc(5)): the operator's ssh, a database client, the node's own
 * upstreams. A spoofed SYN cannot create one (it needs the handshake's return path).
 *
 * Why /proc and not sock_diag: NETLINK_SOCK_DIAG would filter by state in the kernel, but from
 * Bun it means raw socket/sendmsg/recvmsg through bun:ffi and hand-packed inet_diag_req_v2
 * structs; /proc/net/tcp is the same kernel table, per network namespace, read in well under a
 * millisecond for the few thousand sockets a node holds. enforcerd re-reads it at most every
 * `maxAgeMs` and on demand before deciding on an unverified ban.
 */
export function parseProcNetTcp(text: string, trapPorts: ReadonlySet<number>, into = new Set<string>()): Set<string> {
  const lines = text.split("\n");
  for (let i = 1; i < Math.min(lines.length, MAX_LINES); i++) {
    // sl local_address rem_address st ...
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 4 || f[3] !== ESTABLISHED) continue;
    const local = f[1]!.split(":");
    const remote = f[2]!.split(":");
    if (local.length !== 2 || remote.length !== 2) continue;
    if (trapPorts.has(Number.parseInt(local[1]!, 16))) continue;
    const a = decodeHexAddress(remote[0]!);
    if (a) into.add(a);
  }
  return into;
}

/**
 * The kernel prints the address as 32-bit words in host byte order (little-endian here): IPv4 as
 * one word, IPv6 as four. IPv4-mapped IPv6 (a v4 client on a dual-stack socket) folds to IPv4.
 */
export function decodeHexAddress(hex: string): string | undefined {
  if (hex.length !== 8 && hex.length !== 32) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let w = 0; w < hex.length / 8; w++) {
    const word = Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    if (Number.isNaN(word)) return undefined;
    bytes[w * 4] = word & 255;
    bytes[w * 4 + 1] = (word >>> 8) & 255;
    bytes[w * 4 + 2] = (word >>> 16) & 255;
    bytes[w * 4 + 3] = word >>> 24;
  }
  if (bytes.length === 4) return formatIp(4, bytes);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? formatIp(4, bytes.slice(12)) : formatIp(6, bytes);
}

export function readLiveSessions(trapPorts: ReadonlySet<number>, root = "/proc/net"): Set<string> {
  const out = new Set<string>();
  for (const file of ["tcp", "tcp6"]) {
    try {
      parseProcNetTcp(readFileSync(`${root}/${file}`, "utf8"), trapPorts, out);
    } catch {
      // no IPv6 (or no /proc): nothing from that table
    }
  }
  return out;
}
