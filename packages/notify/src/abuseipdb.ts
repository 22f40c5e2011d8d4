import { NotifyError } from "./errors.ts";

export interface AbuseReport {
  ip: string;
  categories: number[];
  comment: string;
  /** Unix ms of the attack (the ban). */
  at: number;
}

/**
 * POSTs one report as AbuseIPDB's API v2 takes it (POST /api/v2/report, form-encoded `ip`,
 * `categories`, `comment`, `timestamp`, the key in a `Key:` header). 2xx is delivered; 429, 5xx
 * and network trouble may be retried; any other answer (422: refused, e.g. the same address
 * within 15 minutes) is not. Errors never carry the key.
 */
export async function postAbuseReport(url: string, key: string, r: AbuseReport, timeoutMs: number): Promise<void> {
  const body = new URLSearchParams({ ip: r.ip, categories: r.categories.join(","), comment: r.comment, timestamp: new Date(r.at).toISOString() });
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { Key: key, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" }, body, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (e) {
    throw new NotifyError("NOTIFY_SEND", `report to ${host(url)}: ${(e as Error).message}`);
  }
  const text = (await res.text().catch(() => "")).slice(0, 300);
  if (res.ok) return;
  let detail = "";
  try {
    detail = String((JSON.parse(text) as { errors?: { detail?: unknown }[] }).errors?.[0]?.detail ?? "").slice(0, 200);
  } catch {}
  throw new NotifyError("NOTIFY_SEND", `report to ${host(url)}: HTTP ${res.status}${detail ? `: ${detail}` : ""}`, res.status === 429 || res.status >= 500);
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
