import type { SessionPage, StoredSession } from "@honeymesh/api/events";
import { reasonNames } from "@honeymesh/ban/reasons";
import type { ApiClient } from "../api/client.ts";
import { renderTable } from "../table.ts";
import { color, fail, isProblem, printJson } from "./api-output.ts";
import { geoCells } from "./geo-flags.ts";

type Row = Record<string, unknown>;

function line(event: string, d: Row): string {
  const t = new Date(Number(d.at ?? d.started_at ?? Date.now())).toISOString();
  if (event === "hit") return `${t} ${color(36, "hit")}      ${d.src}:${d.src_port} -> ${d.service} :${d.dst_port}`;
  const address = (d.address as { text?: string } | undefined)?.text ?? "?";
  if (event === "decision") return `${t} ${color(33, "decision")} ${d.action} ${address} reasons=${reasonNames(Number(d.reasons)).join(",")} ttl=${d.ttl_s}s by ${d.source}`;
  return `${t} ${color(31, "ban")}      ${d.change} ${address} reasons=${reasonNames(Number(d.reasons)).join(",")}`;
}

/** `honeymesh events show <id>`: one session with what its shell captured. */
export async function eventShowCommand(api: ApiClient, id: string | undefined, json: boolean): Promise<number> {
  if (!id) {
    process.stderr.write("usage: honeymesh events show <session id>\n");
    return 2;
  }
  const r = await api.call<StoredSession>("GET", `/v1/events/${encodeURIComponent(id)}`);
  if (isProblem(r)) return fail(r);
  const s = r.data;
  if (json) return printJson(s), 0;
  const out: string[] = [
    `${s.session_id}  ${s.service}  ${s.src}:${s.src_port}${s.country || s.asn ? ` (${[s.country, s.asn ? `AS${s.asn}` : "", s.org].filter(Boolean).join(" ")})` : ""} -> :${s.dst_port}  ${new Date(s.started_at).toISOString()} .. ${new Date(s.ended_at).toISOString()}  (${s.end_reason})`,
    `bytes in ${s.bytes_in}, out ${s.bytes_out}, entropy ${s.entropy.toFixed(2)}`,
  ];
  if (s.credentials.length) out.push("credentials:", ...s.credentials.map((c) => `  ${c.method} ${c.username}${c.password !== undefined ? ` / ${c.password}` : ""}${c.key_fingerprint ? ` ${c.key_fingerprint}` : ""}`));
  // Attacker text goes to a terminal: control characters shown escaped, never interpreted.
  const safe = (t: string) => t.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  if (s.commands.length) out.push("commands:", ...s.commands.map((c, i) => `  ${s.command_at?.[i] !== undefined ? `+${(s.command_at[i]! / 1000).toFixed(1)}s `.padEnd(9) : ""}${safe(c)}`));
  if (s.indicators?.urls.length) out.push("urls:", ...s.indicators.urls.map((u) => `  ${safe(u)}`));
  if (s.indicators?.hosts.length) out.push(`hosts: ${s.indicators.hosts.join(", ")}`);
  if (s.persistence?.length) out.push("persistence:", ...s.persistence.map((p) => `  ${p.kind} ${safe(p.path)}: ${safe(p.detail)}${p.key_fingerprint ? ` (${p.key_fingerprint})` : ""}`));
  if (s.files?.length) out.push("files:", ...s.files.map((f) => `  ${f.sha256} ${f.size} B ${f.via} ${safe(f.name)}${f.stored ? " (quarantined)" : ""}`));
  if (s.transcript) out.push(`transcript: <state_dir>/trapd/transcripts/${s.transcript} (asciinema play)`);
  const meta = Object.entries(s.meta);
  if (meta.length) out.push(`meta: ${meta.map(([k, v]) => `${k}=${safe(v)}`).join(" ")}`);
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

/** `honeymesh events [--follow]`: stored trap sessions, or the live stream (SSE) of hits, decisions and bans. */
export async function eventsCommand(api: ApiClient, opts: { json: boolean; follow: boolean; limit: number; service?: string; src?: string; country?: string; asn?: string }): Promise<number> {
  if (!opts.follow) {
    const q = new URLSearchParams({ limit: String(Math.min(1000, opts.limit)) });
    if (opts.service) q.set("service", opts.service);
    if (opts.src) q.set("src", opts.src);
    if (opts.country) q.set("country", opts.country);
    if (opts.asn) q.set("asn", opts.asn);
    const r = await api.call<SessionPage>("GET", `/v1/events?${q}`);
    if (isProblem(r)) return fail(r);
    if (opts.json) printJson(r.data.items);
    else if (r.data.items.length === 0) process.stdout.write("no trap sessions\n");
    else
      process.stdout.write(
        renderTable(
          ["STARTED", "ID", "TRAP", "SOURCE", "PORT", "BYTES IN", "CMDS", "IOCS", "END", "COUNTRY", "ASN", "ORG"],
          r.data.items.map((s) => [
            new Date(Number(s.started_at ?? 0)).toISOString(), s.session_id, String(s.service ?? ""), String(s.src ?? ""), String(s.dst_port ?? ""), String(s.bytes_in ?? ""),
            String(s.commands.length), String((s.indicators?.urls.length ?? 0) + (s.persistence?.length ?? 0) + (s.files?.length ?? 0)), String(s.end_reason ?? ""), ...geoCells(s),
          ]),
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

