import { accessSync, constants, existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { CliError } from "../errors.ts";

/** An RFC 9457 problem the API answered, with the exit code it maps to (400 = usage, 2). */
export class ApiProblem {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {}
  get exitCode(): 1 | 2 {
    return this.status === 400 ? 2 : 1;
  }
}

/** Where apid listens, as a URL a client on this node can reach (a wildcard bind means loopback). */
export function apiBase(config: FrozenConfig): string {
  const i = config.api.listen.lastIndexOf(":");
  let host = config.api.listen.slice(0, i);
  const port = config.api.listen.slice(i + 1);
  if (host === "0.0.0.0") host = "127.0.0.1";
  if (host === "[::]" || host === "::") host = "[::1]";
  return `${config.api.tls_cert ? "https" : "http"}://${host}:${port}`;
}

/**
 * apid's local socket (`[api] socket`), when this user may open it and no --token was given: the
 * socket's file permissions (0660, group honeymesh) authenticate, so no token appears in argv,
 * in `ps` or in a file the CLI must read.
 */
export function localSocket(config: FrozenConfig, flag: string | undefined): string | undefined {
  if (flag) return undefined;
  const path = config.api.socket;
  try {
    if (!lstatSync(path).isSocket()) return undefined;
    accessSync(path, constants.R_OK | constants.W_OK);
    return path;
  } catch {
    return undefined;
  }
}

/** The token: --token, then `[api] token` (HONEYMESH_API_TOKEN), then the admin token apid wrote on this node. */
export function findToken(config: FrozenConfig, flag: string | undefined): string | undefined {
  if (flag) return flag;
  if (config.api.token) return config.api.token.trim();
  const path = join(config.node.state_dir, "apid", "admin.token");
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

export class ApiClient {
  readonly base: string;
  private readonly tls: { ca?: string; checkServerIdentity?: () => undefined } | undefined;

  /** Over the local socket (no token) when given one, else TCP with the token. */
  constructor(
    private readonly config: FrozenConfig,
    private readonly token: string | undefined,
    private readonly socket?: string,
  ) {
    this.base = socket ? "http://localhost" : apiBase(config);
    // A node's own certificate is often self-signed: trust exactly that certificate, for any name.
    this.tls = config.api.tls_cert && existsSync(config.api.tls_cert) ? { ca: readFileSync(config.api.tls_cert, "utf8"), checkServerIdentity: () => undefined } : undefined;
  }

  async raw(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    if (!this.socket && !this.token)
      throw new CliError(
        "NOT_RUNNING",
        `no API token and no usable API socket (${this.config.api.socket}): run on the node as a member of group honeymesh, set HONEYMESH_API_TOKEN, or pass --token`,
      );
    const headers: Record<string, string> = this.socket ? {} : { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const where = this.socket ? { unix: this.socket } : { tls: this.tls };
    try {
      return await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, ...where } as RequestInit);
    } catch (e) {
      throw new CliError("NOT_RUNNING", `cannot reach apid at ${this.socket ?? this.base}: ${(e as Error).message}. Is the node up (honeymesh status)?`);
    }
  }

  /** JSON answer, or the problem the API gave. */
  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T } | ApiProblem> {
    const res = await this.raw(method, path, body);
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (res.status >= 400) {
      const detail = typeof data === "object" && data && "detail" in data ? String((data as { detail: unknown }).detail) : `${res.status} ${text.slice(0, 200)}`;
      return new ApiProblem(res.status, detail);
    }
    return { status: res.status, data: data as T };
  }
}
