import { createWriteStream } from "node:fs";
import type { Stats } from "@honeymesh/api/stats";
import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { fail, isProblem } from "./api-output.ts";

const FORMATS = ["json", "csv", "ndjson"];

function bar(done: number, total: number, bytes: number): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const width = 30;
  const full = Math.round(frac * width);
  return `\r[${"#".repeat(full)}${"-".repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total} rows ${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * `honeymesh export --format json|csv|ndjson [--kind bans|events] [--output FILE]`: streams the
 * API's export to stdout or a file, with a progress bar on a terminal's stderr.
 */
export async function exportCommand(api: ApiClient, opts: { format: string; kind: string; output?: string; progress: boolean }): Promise<number> {
  if (!FORMATS.includes(opts.format)) throw new CliError("USAGE", `--format ${opts.format}: expected json, csv or ndjson`);
  if (opts.kind !== "bans" && opts.kind !== "events") throw new CliError("USAGE", `--kind ${opts.kind}: expected bans or events`);
  let total = 0;
  if (opts.progress) {
    const s = await api.call<Stats>("GET", "/v1/stats");
    if (!isProblem(s)) total = opts.kind === "bans" ? s.data.bans.active : s.data.sessions.total;
  }
  const res = await api.raw("GET", `/v1/export?format=${opts.format}&kind=${opts.kind}`);
  if (res.status !== 200 || !res.body) {
    const text = await res.text();
    let detail = text.slice(0, 200);
    try {
      detail = (JSON.parse(text) as { detail: string }).detail;
    } catch {
      // not a problem document
    }
    return fail({ status: res.status, detail, exitCode: res.status === 400 ? 2 : 1 } as never);
  }
  const out = opts.output ? createWriteStream(opts.output) : undefined;
  let bytes = 0;
  let rows = 0;
  let lastDraw = 0;
  for await (const chunk of res.body) {
    bytes += chunk.byteLength;
    for (const b of chunk) if (b === 10) rows++;
    if (out) {
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
    } else if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
    if (opts.progress && Date.now() - lastDraw > 100) {
      lastDraw = Date.now();
      process.stderr.write(bar(opts.format === "csv" ? Math.max(0, rows - 1) : rows, total, bytes));
    }
  }
  if (out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  if (opts.progress) process.stderr.write(`${bar(total, total, bytes)}\n`);
  return 0;
}
