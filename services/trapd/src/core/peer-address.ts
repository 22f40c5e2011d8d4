import { ptr } from "bun:ffi";
import { normalizeAddress } from "./address.ts";
import { openLibc } from "./libc.ts";

/** A connection's peer as the kernel recorded it at accept time. */
export interface Peer {
  address: string;
  port: number;
}

// getsockopt(2) SO_PEERNAME (SOL_SOCKET 1, optname 28 on Linux; asm-generic/socket.h).
const SOL_SOCKET = 1;
const SO_PEERNAME = 28;
const AF_INET = 2;
const AF_INET6 = 10;

/** sockaddr_in / sockaddr_in6 (family in host order, port in network order) → text and port. */
export function parseSockaddr(b: Uint8Array, len: number): Peer | undefined {
  if (len < 8) return undefined;
  const family = b[0]! | (b[1]! << 8);
  const port = (b[2]! << 8) | b[3]!;
  if (family === AF_INET && len >= 8) return { address: `${b[4]}.${b[5]}.${b[6]}.${b[7]}`, port };
  if (family !== AF_INET6 || len < 24) return undefined;
  const a = b.subarray(8, 24);
  // A v4 peer on a dual-stack socket (RFC 4291 §2.5.5.2 ::ffff:a.b.c.d): report the v4 text.
  if (a.subarray(0, 10).every((x) => x === 0) && a[10] === 0xff && a[11] === 0xff) return { address: `${a[12]}.${a[13]}.${a[14]}.${a[15]}`, port };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((a[i]! << 8) | a[i + 1]!).toString(16));
  // The URL parser writes the RFC 5952 canonical form (longest zero run compressed, lower case).
  return { address: new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1), port };
}

/**
 * SO_PEERNAME asks the socket layer with peer=2 (net/core/sock.c → inet_getname), which answers
 * for a socket already in TCP_CLOSE; getpeername(2) (peer=1) returns ENOTCONN once the peer reset
 * it. A connect scan (nmap -sT: SYN, SYN-ACK, ACK, RST) is reset before the runtime asks.
 */
export function peerOfFd(fd: number): Peer | undefined {
  const l = openLibc();
  if (!l || !Number.isInteger(fd) || fd < 0) return undefined;
  const buf = new Uint8Array(28);
  // The kernel refuses (EINVAL) a length above the address's own: try sockaddr_in6, then sockaddr_in.
  for (const size of [28, 16]) {
    const len = new Uint32Array([size]);
    if (l.getsockopt(fd, SOL_SOCKET, SO_PEERNAME, ptr(buf) as unknown as number, ptr(len) as unknown as number) === 0) return parseSockaddr(buf, len[0]!);
  }
  return undefined;
}

/**
 * The peer of an accepted socket: what the runtime reports, else what the kernel kept for the
 * fd. Undefined only when neither knows (the caller counts it, never records a made-up source).
 */
export function peerOf(remoteAddress: string | undefined, remotePort: number | undefined, fd: number | undefined): Peer | undefined {
  if (remoteAddress && remoteAddress.length >= 2 && remotePort) return { address: normalizeAddress(remoteAddress), port: remotePort };
  const p = fd === undefined ? undefined : peerOfFd(fd);
  return p && p.port > 0 ? p : undefined;
}
