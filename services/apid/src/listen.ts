import { ApidError } from "./errors.ts";

/** `host:port` or `[v6]:port` (the config schema has checked the shape). */
export function parseListen(listen: string): { hostname: string; port: number } {
  const i = listen.lastIndexOf(":");
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, "$1");
  const port = Number(listen.slice(i + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) throw new ApidError("BAD_REQUEST", `[api] listen: "${listen}" is not host:port`);
  return { hostname: host, port };
}
