import type { NotifyList, NotifyTestAnswer } from "@honeymesh/api/notify";
import type { ApiClient } from "../api/client.ts";
import { CliError } from "../errors.ts";
import { renderTable } from "../table.ts";
import { fail, isProblem, printJson } from "./api-output.ts";

/** `honeymesh notify [ls]` lists the targets and their counters; `honeymesh notify test NAME` sends a test message now. */
export async function notifyCommand(api: ApiClient, sub: string | undefined, name: string | undefined, json: boolean): Promise<number> {
  if (sub === "test") {
    if (!name) throw new CliError("USAGE", "usage: honeymesh notify test NAME");
    const r = await api.call<NotifyTestAnswer>("POST", `/v1/notify/${encodeURIComponent(name)}/test`);
    if (isProblem(r)) return fail(r);
    if (json) printJson(r.data);
    else process.stdout.write(`${r.data.detail}\n`);
    return 0;
  }
  if (sub !== undefined && sub !== "ls") throw new CliError("USAGE", `unknown notify command ${sub}: expected ls or test NAME`);
  const r = await api.call<NotifyList>("GET", "/v1/notify");
  if (isProblem(r)) return fail(r);
  if (json) {
    printJson(r.data.items);
    return 0;
  }
  const reports = r.data.reports ?? [];
  if (r.data.items.length === 0 && reports.length === 0) {
    process.stdout.write("no notification targets configured ([notify.<name>] in the config)\n");
    return 0;
  }
  if (r.data.items.length > 0) {
    const rows = r.data.items.map((t) => [t.name, t.type, t.events.join(","), String(t.sent), String(t.digests), String(t.failed), String(t.dropped + t.overflowed), t.last_error ?? ""]);
    process.stdout.write(renderTable(["NAME", "TYPE", "EVENTS", "SENT", "DIGESTS", "FAILED", "DROPPED", "LAST ERROR"], rows));
  }
  if (reports.length > 0) {
    // [report.<name>]: bans kept back are counted by the rule that kept them (unverified, not_local, …).
    const skipped = (s: Record<string, number>) => Object.entries(s).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`).join(" ") || "-";
    const rows = reports.map((t) => [t.name, t.type, t.host, String(t.sent), String(t.failed), String(t.queued), skipped(t.skipped), t.last_error ?? ""]);
    process.stdout.write(`${r.data.items.length > 0 ? "\n" : ""}${renderTable(["REPORT", "TYPE", "HOST", "SENT", "FAILED", "QUEUED", "SKIPPED", "LAST ERROR"], rows)}`);
  }
  return 0;
}
