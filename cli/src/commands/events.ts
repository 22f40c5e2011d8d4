import type { SessionPage } from "@honeymesh/api/events";
import { reasonNames } from "@honeymesh/ban/reasons";
import type { ApiClient } from "../api/client.ts";
import { renderTable } from "../table.ts";
import { color, fail, isProblem, printJson } from "./api-output.ts";

type Row = Record<string, unknown>;

function line(event: string, d: Row): string {
  const t = new Date(Number(d.at ?? d.started_at ?? Date.now())).toISOString();
  if (event === "hit") return `${t} ${color(36, "hit")}      ${d.src}:${d.src_port} -> ${d.service} :${d.dst_port}`;
  const address = (d.address as { text?: string } | undefined)?.text ?? "?";
  if (event === "decision") return `${t} ${color(33, "decision")} ${d.action} ${address} reasons=${reasonNames(Number(d.reasons)).join(",")} ttl=${d.ttl_s}s by ${d.source}`;
  return `${t} ${color(31, "ban")}      ${d.change} ${address} reasons=${reasonNames(Number(d.reasons)).join(",")}`;
}

/** `honeymesh events [--follow]`: stored trap sessions, or the live stream (SSE) of hits, decisions and bans. */
export async function eventsCommand(api: ApiClient, opts: { json: boolean; follow: boolean; limit: number; service?: string; src?: string }): Promise<number> {
  if (!opts.follow) {
    const q = new URLSearchParams({ limit: String(Math.min(1000, opts.limit)) });
    if (opts.service) q.set("service", opts.service);
    if (opts.src) q.set("src", opts.src);
    const r = await api.call<SessionPage>("GET", `/v1/events?${q}`);
    if (isProblem(r)) return fail(r);
    if (opts.json) printJson(r.data.items);
    else if (r.data.items.length === 0) process.stdout.write("no trap sessions\n");
    else
      process.stdout.write(
        renderTable(
          ["STARTED", "TRAP", "SOURCE", "PORT", "BYTES IN", "END"],
          r.data.items.map((s) => [new Date(Number(s.started_at ?? 0)).toISOString(), String(s.service ?? ""), String(s.src ?? ""), String(s.dst_port ?? ""), String(s.bytes_in ?? ""), String(s.end_reason ?? "")]),
        ),
      );
    return 0;
  }
  const ac = new AbortController();
  process.once("SIGINT", () => ac.abort());
  const res = await api.raw("GET", "/v1/stream", undefined, ac.signal);
  if (res.status !== 200 || !res.body) {
    process.stderr.write(`honeymesh: stream refused: ${res.status} ${(await res.text()).slice(0, 200)}\n`);
    return 1;
  }
  const dec = new TextDecoder();
  let buf = "";
  try {
    for await (const chunk of res.body) {
      buf += dec.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let event = "message";
        let data = "";
        for (const l of block.split("\n")) {
          if (l.startsWith("event:")) event = l.slice(6).trim();
          else if (l.startsWith("data:")) data += l.slice(5).trim();
        }
        if (!data) continue;
        const d = JSON.parse(data) as Row;
        process.stdout.write(opts.json ? `${JSON.stringify({ event, data: d })}\n` : `${line(event, d)}\n`);
      }
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  }
  return 0;
}

