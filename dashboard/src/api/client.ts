import type { AllowList, Ban, Explanation, History, Mode, Page, Peer, Problem, Session, Stats, Status, WhoAmI, WriteAnswer } from "./types.ts";
import type { ReasonName } from "./types.ts";
import type { AllowRequest, BanRequest } from "@honeymesh/api/writes";

/** What a write returned: done (2xx), pending (202: enforcerd has not confirmed yet) or refused. */
export type WriteResult = { ok: true; pending: boolean; body: WriteAnswer | null } | { ok: false; problem: Problem };

export class ApiError extends Error {
  readonly code = "API" as const;
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

async function problemOf(r: Response): Promise<Problem> {
  try {
    const p = (await r.json()) as Partial<Problem>;
    return { status: r.status, title: p.title, detail: p.detail, reason: p.reason };
  } catch {
    return { status: r.status, detail: r.statusText || `HTTP ${r.status}` };
  }
}

const enc = encodeURIComponent;

/**
 * apid over fetch, same origin. The token travels only in the Authorization header (never in a
 * URL, so it stays out of logs, history and Referer). A 401 calls `onUnauthorized` (revoked or
 * expired token: back to the login screen).
 */
export class Api {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  async raw(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const r = await fetch(path, {
      method,
      headers: this.headers(body === undefined ? {} : { "content-type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: "no-store",
    });
    if (r.status === 401) this.onUnauthorized();
    return r;
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const r = await this.raw("GET", path, undefined, signal);
    if (!r.ok) throw new ApiError(await problemOf(r));
    return (await r.json()) as T;
  }

  async write(method: string, path: string, body?: unknown): Promise<WriteResult> {
    const r = await this.raw(method, path, body);
    if (!r.ok) return { ok: false, problem: await problemOf(r) };
    return { ok: true, pending: r.status === 202, body: (await r.json().catch(() => null)) as WriteAnswer | null };
  }

  whoami = () => this.get<WhoAmI>("/v1/whoami");
  status = () => this.get<Status>("/v1/status");
  stats = () => this.get<Stats>("/v1/stats");
  peers = () => this.get<{ items: Peer[] }>("/v1/peers");
  allowlist = () => this.get<AllowList>("/v1/allowlist");

  bans(q: { state?: string; reason?: string; origin?: string; contains?: string; cursor?: string | null; limit?: number }, signal?: AbortSignal): Promise<Page<Ban>> {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
    return this.get<Page<Ban>>(`/v1/bans?${p}`, signal);
  }

  events(q: { since?: number; limit?: number; address?: string; cursor?: string | null }, signal?: AbortSignal): Promise<Page<Session>> {
    const p = new URLSearchParams();
    if (q.since !== undefined) p.set("since", String(q.since));
    if (q.address) p.set("address", q.address);
    if (q.cursor) p.set("cursor", q.cursor);
    p.set("limit", String(q.limit ?? 200));
    return this.get<Page<Session>>(`/v1/events?${p}`, signal);
  }

  history = (from: number, to: number, stepS: number, signal?: AbortSignal) => this.get<History>(`/v1/stats/history?from=${from}&to=${to}&step=${stepS}`, signal);

  explain = (ip: string) => this.get<Explanation>(`/v1/explain/${enc(ip)}`);

  ban = (address: string, ttlS: number, reason: ReasonName[] | undefined, evidence: string[]) => this.write("POST", "/v1/bans", { address, ttl_s: ttlS, ...(reason?.length ? { reason } : {}), evidence } satisfies BanRequest);
  extend = (address: string, ttlS: number) => this.write("PATCH", `/v1/bans/${enc(address)}`, { ttl_s: ttlS });
  permanent = (address: string) => this.write("POST", `/v1/bans/${enc(address)}/permanent`);
  unban = (address: string, scope: "global" | "local") => this.write("DELETE", `/v1/bans/${enc(address)}?scope=${scope}`);
  allow = (address: string, note: string) => this.write("POST", "/v1/allowlist", { address, note } satisfies AllowRequest);
  setMode = (mode: Mode) => this.write("PUT", "/v1/mode", { mode });
}
