import { ApidError } from "./errors.ts";
import { isLoopback } from "./auth/fail-limiter.ts";

/** `host:port` or `[v6]:port` (the config schema has checked the shape). */
export function parseListen(listen: string): { hostname: string; port: number } {
  const i = listen.lastIndexOf(":");
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, "$1");
  const port = Number(listen.slice(i + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) throw new ApidError("BAD_REQUEST", `[api] listen: "${listen}" is not host:port`);
  return { hostname: host, port };
}

/**
 * Bearer tokens in clear text over a network are as good as published: a non-loopback listen
 * without TLS is refused unless the operator says `[api] insecure = true` (e.g. behind a TLS proxy
 * on the same host, or a lab).
 */
export function checkExposure(hostname: string, tls: boolean, insecure: boolean, listen: string): void {
  if (tls || insecure || hostname === "localhost" || isLoopback(hostname)) return;
  throw new ApidError(
    "UNAVAILABLE",
    `[api] listen = "${listen}" is not a loopback address and [api] tls_cert/tls_key are not set: tokens would cross the network in clear. Set [api] tls_cert and tls_key, listen on 127.0.0.1, or set [api] insecure = true to accept this`,
  );
}
