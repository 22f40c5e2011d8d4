import type { PeerList } from "@honeymesh/api/events";
import type { ApiClient } from "../api/client.ts";
import { renderTable } from "../table.ts";
import { fail, isProblem, printJson } from "./api-output.ts";

/** `honeymesh peers`: meshd's peers as apid reads them (columns as meshd stores them). */
export async function peersCommand(api: ApiClient, json: boolean): Promise<number> {
  const r = await api.call<PeerList>("GET", "/v1/peers");
  if (isProblem(r)) return fail(r);
  if (json) {
    printJson(r.data.items);
    return 0;
  }
  if (r.data.items.length === 0) {
    process.stdout.write("no peers\n");
    return 0;
  }
  const cols = Object.keys(r.data.items[0]!).slice(0, 8) as (keyof PeerList["items"][number])[];
  process.stdout.write(renderTable(cols.map((c) => c.toUpperCase()), r.data.items.map((p) => cols.map((c) => (typeof p[c] === "object" ? JSON.stringify(p[c]) : String(p[c] ?? ""))))));
  return 0;
}
