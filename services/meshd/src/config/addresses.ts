import { isIP } from "node:net";
import { multiaddr } from "@multiformats/multiaddr";
import { MeshError } from "../errors.ts";

function splitHostPort(raw: string, key: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):([0-9]{1,5})$/.exec(raw.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new MeshError("MESH_CONFIG", `${key} = ${JSON.stringify(raw)}: expected host:port or a multiaddr`);
  return { host: m[1] ?? m[2]!, port };
}

function hostPart(host: string): string {
  const v = isIP(host);
  return v === 4 ? `/ip4/${host}` : v === 6 ? `/ip6/${host}` : `/dns/${host}`;
}

/** A multiaddr as is, or host:port turned into /ip4|ip6|dns/…/tcp/…; throws naming the key. */
export function toDialAddr(raw: string, key: string): string {
  if (raw.startsWith("/")) {
    try {
      return multiaddr(raw).toString();
    } catch (e) {
      throw new MeshError("MESH_CONFIG", `${key} = ${JSON.stringify(raw)}: not a multiaddr (${(e as Error).message})`);
    }
  }
  const { host, port } = splitHostPort(raw, key);
  return `${hostPart(host)}/tcp/${port}`;
}

/** host:port of the config as a TCP listen multiaddr (a name is not listenable: an address is required). */
export function toListenAddr(raw: string, key: string): string {
  const { host, port } = splitHostPort(raw, key);
  if (isIP(host) === 0) throw new MeshError("MESH_CONFIG", `${key} = ${JSON.stringify(raw)}: listen on an IP address, not a name`);
  return `${hostPart(host)}/tcp/${port}`;
}
