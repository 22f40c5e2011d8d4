import { NotifyError } from "./errors.ts";
import type { HttpRequestSpec } from "./payload.ts";

/** POSTs one request; 2xx is delivered, 429 and 5xx and network trouble may be retried, other answers not. */
export async function postRequest(r: HttpRequestSpec, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(r.url, { method: "POST", headers: r.headers, body: r.body, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (e) {
    throw new NotifyError("NOTIFY_SEND", `POST ${safe(r.url)}: ${(e as Error).message}`);
  }
  await res.body?.cancel().catch(() => {});
  if (res.ok) return;
  throw new NotifyError("NOTIFY_SEND", `POST ${safe(r.url)}: HTTP ${res.status}`, res.status === 429 || res.status >= 500);
}

/** Webhook URLs often carry their secret in the path (Slack, Discord): show only the host. */
function safe(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
