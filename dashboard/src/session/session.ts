import { Api, ApiError } from "../api/client.ts";
import { LiveStream, type StreamState } from "../api/stream.ts";
import type { WhoAmI } from "../api/types.ts";
import { backfill } from "../live/backfill.ts";
import { LiveStore } from "../live/live-store.ts";
import { Signal } from "../ui/signal.ts";

/** A signed-in operator: the API client, who they are, and the live data of this tab. */
export interface Session {
  api: Api;
  who: WhoAmI;
  store: LiveStore;
  stream: Signal<StreamState>;
}

// sessionStorage: the token lives as long as the tab and is never written to a URL or a cookie.
const KEY = "honeymesh.token";
export const session = new Signal<Session | null>(null);
let stop: (() => void) | undefined;

export const canWrite = (w: WhoAmI) => w.scope === "write" || w.scope === "admin";
export const isAdmin = (w: WhoAmI) => w.scope === "admin";

/** Checks the token with apid and starts the live stream; an error message on refusal. */
export async function login(token: string): Promise<string | undefined> {
  token = token.trim();
  if (!token) return "Paste an API token.";
  const api = new Api(token, () => logout());
  let who: WhoAmI;
  try {
    who = await api.whoami();
  } catch (e) {
    if (e instanceof ApiError) return e.problem.status === 401 ? "This token is invalid, expired or revoked." : e.message;
    return "apid cannot be reached.";
  }
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // storage disabled: the session lasts until the tab reloads
  }
  start({ api, who, store: new LiveStore(), stream: new Signal<StreamState>("connecting") });
  return undefined;
}

function start(s: Session): void {
  const live = new LiveStream(s.api, (e) => s.store.push(e), (st) => s.stream.set(st));
  // Hits carry no content; the closed session (credentials, commands, path, entropy) is stored
  // by trapd a moment later, so recent sessions are fetched and joined to their hits.
  let since = Date.now() - 10 * 60_000;
  const poll = async () => {
    try {
      const page = await s.api.events({ since, limit: 500 });
      if (page.items.length) since = Math.max(since, ...page.items.map((x) => x.started_at)) - 30_000;
      s.store.addSessions(page.items);
    } catch {
      // shown by the stream state; try again at the next tick
    }
  };
  // The live view opens on the last events the lists hold, then the stream appends.
  void backfill(s.api).then(({ events, sessions }) => {
    s.store.addSessions(sessions);
    s.store.backfill(events);
  });
  void poll();
  const timer = setInterval(poll, 2000);
  stop = () => {
    clearInterval(timer);
    live.close();
    s.store.clear();
  };
  session.set(s);
}

export function logout(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
  stop?.();
  stop = undefined;
  session.set(null);
}

/** Resumes the session of this tab after a reload. */
export async function restore(): Promise<void> {
  let token: string | null = null;
  try {
    token = sessionStorage.getItem(KEY);
  } catch {
    return;
  }
  if (token && (await login(token))) logout();
}
