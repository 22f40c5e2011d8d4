import { TAXII_TYPE } from "./media.ts";

export const TAXII_PREFIX = "/taxii2/";

/** A TAXII error message (TAXII 2.1 §3.6.1) with its status; `http_status` is a string there. */
export function taxiiError(status: number, title: string, description: string, headers: Record<string, string> = {}): Response {
  const body = { title, description: description.slice(0, 500), http_status: String(status) };
  return new Response(JSON.stringify(body), { status, headers: { ...headers, "content-type": TAXII_TYPE } });
}

/**
 * apid's errors are RFC 9457 problems; on the TAXII routes the same status, title and detail go
 * out as a TAXII error message instead, since TAXII clients parse that shape (§3.6). Headers such
 * as WWW-Authenticate and Retry-After are kept; a 401 also names the Basic scheme these routes take.
 */
export async function reshapeTaxii(path: string, r: Response): Promise<Response> {
  if (!path.startsWith(TAXII_PREFIX) && path !== "/taxii2") return r;
  if (!(r.headers.get("content-type") ?? "").startsWith("application/problem+json")) return r;
  let p: { title?: unknown; detail?: unknown } = {};
  try {
    p = (await r.json()) as typeof p;
  } catch {
    // an unreadable problem keeps its status; the title says what it was
  }
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => {
    if (k !== "content-type" && k !== "content-length") headers[k] = v;
  });
  if (r.status === 401) headers["www-authenticate"] = `${headers["www-authenticate"] ?? 'Bearer realm="honeymesh"'}, Basic realm="honeymesh", charset="UTF-8"`;
  return taxiiError(r.status, typeof p.title === "string" ? p.title : "Error", typeof p.detail === "string" ? p.detail : "", headers);
}
