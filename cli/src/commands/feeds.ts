import type { FeedList } from "@honeymesh/api/feeds";
import type { ApiClient } from "../api/client.ts";
import { renderTable } from "../table.ts";
import { fail, isProblem, printJson } from "./api-output.ts";

function age(ms: number | null, now: number): string {
  if (ms === null) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172_800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`;
}

/** `honeymesh feeds`: each blocklist feed, the size of the list in force, its age, the last error. */
export async function feedsCommand(api: ApiClient, json: boolean): Promise<number> {
  const r = await api.call<FeedList>("GET", "/v1/feeds");
  if (isProblem(r)) return fail(r);
  if (json) {
    printJson(r.data.items);
    return 0;
  }
  if (r.data.items.length === 0) {
    process.stdout.write("no feeds configured ([feeds.<name>] in the config)\n");
    return 0;
  }
  const now = Date.now();
  const rows = r.data.items.map((f) => {
    const u = f.last_update;
    const refused = u ? u.refused_allowlisted + u.refused_protected + u.refused_bad_address + u.refused_tombstoned : 0;
    const update = u ? `+${u.added + u.merged} -${u.removed + u.reduced}${refused ? ` refused ${refused} (allowlisted ${u.refused_allowlisted}, protected ${u.refused_protected})` : ""}` : "";
    return [f.name, f.format, String(f.size), age(f.applied_at, now), age(f.fetched_at, now), `${update}${f.skipped_private ? ` (${f.skipped_private} private skipped)` : ""}`, f.last_error ?? ""];
  });
  process.stdout.write(renderTable(["NAME", "FORMAT", "SIZE", "AGE", "FETCHED", "LAST UPDATE", "LAST ERROR"], rows));
  return 0;
}
