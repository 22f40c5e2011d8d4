import { memo } from "preact/compat";
import { reasonNames, type LiveEvent, type Session } from "../api/types.ts";
import { Badge, Reasons } from "../ui/badge.tsx";
import { clock, dateTime } from "../ui/format.ts";
import { geoOf } from "../ui/geo.ts";
import type { SourceState } from "./live-store.ts";
import { sentSummary } from "./sent.ts";

const KIND_TONE = { hit: "danger", decision: "warn", ban: "accent" } as const;

function srcOf(e: LiveEvent): string {
  return e.kind === "hit" ? e.data.src : e.data.address.text;
}

function BanState({ st }: { st: SourceState | undefined }) {
  const b = st?.ban;
  if (!b) return <span class="muted">—</span>;
  // `reduced`: some reasons lifted, the ban stays.
  const live = b.change === "added" || b.change === "extended" || b.change === "reduced";
  return <Badge tone={live ? "danger" : "ok"}>{live ? (b.expires_at === 0 ? "banned ∞" : "banned") : b.change}</Badge>;
}

/** One event of the threat stream; memoized: a row re-renders only when its source's state does. */
export const LiveRow = memo(function LiveRow({ e, st, session }: { e: LiveEvent; st: SourceState | undefined; session: Session | undefined }) {
  const src = srcOf(e);
  let service = "";
  let sent = "";
  let entropy = "";
  if (e.kind === "hit") {
    service = `${e.data.service}/${e.data.dst_port}`;
    if (session) {
      sent = sentSummary(session);
      entropy = session.entropy.toFixed(2);
    } else sent = "…";
  } else if (e.kind === "decision") {
    sent = `${e.data.action} by ${e.data.source}@${e.data.origin}${e.data.evidence[0] ? ` — ${e.data.evidence[0].summary}` : ""}`;
  } else {
    sent = `${e.data.change} · ${e.data.origin}${e.data.evidence[0] ? ` — ${e.data.evidence[0].summary}` : ""}`;
  }
  const decision = e.kind === "decision" ? e.data : st?.decision;
  return (
    <tr class={`live-row kind-${e.kind}${e.backfill ? " backfill" : ""}`} data-src={src} data-received={e.received}>
      <td class="mono nowrap" title={e.backfill ? `${dateTime(e.received)}, from before this page opened` : undefined}>
        {Date.now() - e.received > 86_400_000 ? dateTime(e.received).slice(5, 16) : clock(e.received)}
      </td>
      <td class="col-wide">
        <Badge tone={KIND_TONE[e.kind]}>{e.kind}</Badge>
      </td>
      <td class="mono nowrap">
        <a href={`#/source/${encodeURIComponent(src)}`} class="src-link" title="sessions, commands, credentials and bans of this source">
          {src}
        </a>
        {session && geoOf(session)?.country && <span class="geo muted small"> {geoOf(session)!.country}</span>}
      </td>
      <td class="mono nowrap">{service}</td>
      <td class="sent" title={sent}>
        {sent}
      </td>
      <td class="mono num col-opt">{entropy}</td>
      <td class="col-opt">{decision ? <Reasons names={reasonNames(decision.reasons)} /> : <span class="muted">—</span>}</td>
      <td>
        <BanState st={st} />
      </td>
    </tr>
  );
});
