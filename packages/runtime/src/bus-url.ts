import { isAbsolute, join } from "node:path";

/** The part of the config the bus endpoints come from. */
export interface BusEndpoints {
  node: { state_dir: string };
  bus: { listen: string; socket: string };
}

/** sockaddr_un.sun_path holds 108 bytes including the terminating NUL (unix(7)). */
export const MAX_SOCKET_PATH = 107;

/** `host:port` (IPv6 in brackets) → mqtt URL; the listen address 0.0.0.0 is reached on loopback. */
export function busUrl(listen: string): string {
  const i = listen.lastIndexOf(":");
  let host = listen.slice(0, i);
  if (host === "0.0.0.0" || host === "") host = "127.0.0.1";
  if (host === "[::]") host = "[::1]";
  return `mqtt://${host}:${listen.slice(i + 1)}`;
}

export function splitHostPort(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(":");
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(listen.slice(i + 1)) };
}

/** The broker's Unix socket path (`[bus] socket`, relative to the state dir), or undefined when it is off. */
export function busSocketPath(c: BusEndpoints): string | undefined {
  const s = c.bus.socket;
  if (s === "") return undefined;
  return isAbsolute(s) ? s : join(c.node.state_dir, s);
}

/**
 * Where the node's own processes reach the broker: the Unix socket when there is one (only the
 * node's users can open it, and the broker never refuses it for lack of slots), else TCP.
 */
export function serviceBusUrl(c: BusEndpoints): string {
  const path = busSocketPath(c);
  if (path) return `unix://${encodeURI(path)}`;
  if (c.bus.listen === "") throw new Error("config has neither [bus] socket nor [bus] listen: services cannot reach the bus");
  return busUrl(c.bus.listen);
}
