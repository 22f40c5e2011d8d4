import type { ProtocolFactory } from "../core/tcp-trap.ts";
import { credentialsOf } from "./http-form.ts";
import { nginxError, pageFor } from "./http-pages.ts";

const MAX_REQUESTS = 100; // nginx keepalive_requests default (1000) is more than a trap needs
const BODY_KEEP = 64 * 1024; // parsed for credentials; the rest is only counted
const REASON: Record<number, string> = { 200: "OK", 302: "Moved Temporarily", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Not Allowed", 411: "Length Required", 413: "Request Entity Too Large" };

interface Request {
  method: string;
  path: string;
  version: string;
  headers: Map<string, string>;
  rawHeaders: string;
}

function parseHead(head: string): Request | undefined {
  const lines = head.split(/\r?\n/);
  const m = /^([A-Z]{1,16}) (\S{1,8192}) HTTP\/(1\.[01])$/.exec(lines[0] ?? "");
  if (!m) return undefined;
  const headers = new Map<string, string>();
  for (const l of lines.slice(1, 101)) {
    const i = l.indexOf(":");
    if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  return { method: m[1]!, path: m[2]!, version: m[3]!, headers, rawHeaders: lines.slice(1).join("\n") };
}

/** nginx-like HTTP/1.x: login pages, captured method, path, headers, body and user agent. */
export function httpTrap(banner: string): ProtocolFactory {
  const version = /([\d.]+)\s*$/.exec(banner)?.[1] ?? "1.22.1";
  const server = banner.includes("/") ? banner : `nginx/${version}`;
  return (io) => {
    const maxHead = io.limits.maxLine * 4; // nginx: large_client_header_buffers 4 × 8k
    let buf = Buffer.alloc(0);
    let req: Request | undefined;
    let bodyLeft = 0;
    let body: Buffer[] = [];
    let kept = 0;
    let served = 0;
    let busy = false;

    const respond = (status: number, type: string, text: string, keepAlive: boolean, head = false) => {
      const bytes = Buffer.from(text, "utf8");
      const date = new Date().toUTCString();
      const location = status === 302 ? "Location: /wp-login.php\r\n" : "";
      io.write(
        `HTTP/1.1 ${status} ${REASON[status] ?? "OK"}\r\nServer: ${server}\r\nDate: ${date}\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\n${location}Connection: ${keepAlive ? "keep-alive" : "close"}\r\n\r\n`,
      );
      if (!head) io.write(bytes);
      if (!keepAlive) io.close();
    };

    const finishRequest = (r: Request) => {
      const text = Buffer.concat(body).toString("utf8");
      const rec = io.rec;
      rec.command(`${r.method} ${r.path}`);
      const first = served === 0;
      if (first) {
        rec.setMeta("method", r.method);
        rec.setMeta("path", r.path);
        rec.setMeta("user_agent", r.headers.get("user-agent") ?? "");
        rec.setMeta("host", r.headers.get("host") ?? "");
        rec.setMeta("headers", r.rawHeaders);
        if (text) rec.setMeta("body", text);
      }
      for (const c of credentialsOf(r.headers.get("content-type") ?? "", text, r.headers.get("authorization"))) rec.credential(c);
      served++;
      const conn = (r.headers.get("connection") ?? "").toLowerCase();
      const keepAlive = served < MAX_REQUESTS && (r.version === "1.1" ? conn !== "close" : conn === "keep-alive");
      if (!["GET", "HEAD", "POST"].includes(r.method)) return respond(405, "text/html", nginxError(405, "Not Allowed", version), keepAlive);
      const page = pageFor(r.method, r.path, version);
      if (r.method !== "POST") return respond(page.status, page.type, page.body, keepAlive, r.method === "HEAD");
      busy = true;
      io.rec.later(io.limits.authDelayMs, () => {
        busy = false;
        respond(page.status, page.type, page.body, keepAlive);
        pump();
      });
    };

    const pump = () => {
      while (!busy && buf.length) {
        if (!req) {
          let end = buf.indexOf("\r\n\r\n");
          let sep = 4;
          if (end < 0) {
            end = buf.indexOf("\n\n");
            sep = 2;
          }
          if (end < 0) {
            if (buf.length > maxHead) return io.cut("line_cap");
            return;
          }
          if (end > maxHead) return io.cut("line_cap");
          const head = buf.toString("latin1", 0, end);
          buf = buf.subarray(end + sep);
          if (head.split("\n").some((l) => l.length > io.limits.maxLine)) return io.cut("line_cap");
          const r = parseHead(head.replace(/^(\r?\n)+/, ""));
          if (!r) return respond(400, "text/html", nginxError(400, "Bad Request", version), false);
          const len = Number(r.headers.get("content-length") ?? "0");
          if (r.headers.has("transfer-encoding")) return respond(411, "text/html", nginxError(411, "Length Required", version), false);
          if (!Number.isSafeInteger(len) || len < 0) return respond(400, "text/html", nginxError(400, "Bad Request", version), false);
          if (len > io.limits.maxBytesIn) return respond(413, "text/html", nginxError(413, "Request Entity Too Large", version), false);
          req = r;
          bodyLeft = len;
          body = [];
          kept = 0;
        }
        const take = Math.min(bodyLeft, buf.length);
        if (take > 0) {
          const part = buf.subarray(0, take);
          if (kept < BODY_KEEP) {
            const keep = part.subarray(0, BODY_KEEP - kept);
            body.push(Buffer.from(keep));
            kept += keep.length;
          }
          buf = buf.subarray(take);
          bodyLeft -= take;
        }
        if (bodyLeft > 0) return;
        const r = req;
        req = undefined;
        finishRequest(r);
      }
    };

    return {
      data(chunk) {
        // Waiting on a delayed reply, hold at most one header block of what follows.
        if (buf.length + chunk.length > maxHead + BODY_KEEP && (busy || !req)) return io.cut("line_cap");
        buf = buf.length ? Buffer.concat([buf, chunk]) : Buffer.from(chunk);
        pump();
      },
    };
  };
}
