/**
 * RFC 9457 problem details. Every error apid answers is one of these, with a `detail` that
 * names what was wrong; extension members (e.g. `errors`, `field`) carry the specifics.
 */
const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export interface ProblemInit {
  detail: string;
  instance?: string;
  headers?: Record<string, string>;
  [extension: string]: unknown;
}

export function problem(status: number, init: ProblemInit): Response {
  const { headers, ...rest } = init;
  const body = { type: "about:blank", title: TITLES[status] ?? "Error", status, ...rest };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json", ...headers } });
}

/** A 400 that names the offending field, as `field` and in `errors`. */
export function badField(field: string, message: string): Response {
  return problem(400, { detail: `${field}: ${message}`, field, errors: [{ field, message }] });
}
