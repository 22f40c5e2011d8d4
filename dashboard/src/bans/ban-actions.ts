import type { Api, WriteResult } from "../api/client.ts";
import type { ReasonName } from "../api/types.ts";
import { confirmAction } from "../ui/confirm.tsx";
import { duration } from "../ui/format.ts";
import { toast } from "../ui/toast.tsx";

/** Confirms, runs one write, and reports its result (done, pending or refused with apid's detail). */
export async function act(title: string, body: string, confirm: string, run: () => Promise<WriteResult>, danger = false): Promise<boolean> {
  if (!(await confirmAction(title, body, confirm, danger))) return false;
  let r: WriteResult;
  try {
    r = await run();
  } catch {
    toast("danger", `${title}: failed`, "apid cannot be reached");
    return false;
  }
  if (!r.ok) {
    toast("danger", `${title}: refused (${r.problem.status})`, r.problem.detail);
    return false;
  }
  // enforcerd's typed result: added, extended, unchanged, kept (still banned for other reasons), removed, …
  const said = r.body ? `${r.body.outcome}: ${r.body.detail}` : undefined;
  toast(r.pending ? "warn" : "ok", r.pending ? `${title}: accepted, not yet confirmed` : `${title}: ${r.body?.outcome ?? "done"}`, r.pending ? "enforcerd has not confirmed within the API's timeout; the stream will show the change." : said);
  return true;
}

const ttlText = (s: number) => (s === 0 ? "permanently" : `for ${duration(s)}`);

export const banActions = (api: Api) => ({
  ban: (value: string, ttlS: number, reasons: ReasonName[], note: string) =>
    act("Ban", `Ban ${value} ${ttlText(ttlS)}? Its packets are dropped in the kernel on this node, and the mesh learns the decision.`, "Ban", () => api.ban(value, ttlS, reasons, note ? [note] : ["banned from the dashboard"]), true),
  extend: (value: string, ttlS: number) => act("Extend", `Extend the ban on ${value} to now + ${duration(ttlS)}?`, "Extend", () => api.extend(value, ttlS)),
  permanent: (value: string) => act("Make permanent", `Make the ban on ${value} permanent? It stays until an operator unbans it.`, "Make permanent", () => api.permanent(value), true),
  unban: (value: string, scope: "global" | "local") =>
    act(
      scope === "global" ? "Unban everywhere" : "Unban here",
      scope === "global" ? `Unban ${value} on this node, and on peers where this node decided the ban (a peer never lifts a ban another node decided)?` : `Unban ${value} on this node only? Peers keep their ban.`,
      "Unban",
      () => api.unban(value, scope),
      true,
    ),
  allow: (value: string) =>
    act("Allowlist", `Add ${value} to the allowlist? Allowlisted addresses are never banned or dropped, whatever traps or peers report.`, "Allowlist", () => api.allow(value, "allowlisted from the dashboard"), true),
});
