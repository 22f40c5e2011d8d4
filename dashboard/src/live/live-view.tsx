import { useMemo, useState } from "preact/hooks";
import type { LiveEvent, Session as TrapSession } from "../api/types.ts";
import type { Session as Sess } from "../session/session.ts";
import { Dot } from "../ui/badge.tsx";
import { num } from "../ui/format.ts";
import { geoMatches } from "../ui/geo.ts";
import { Empty } from "../ui/panel.tsx";
import { useRenderTiming } from "../ui/perf.ts";
import { useSignal } from "../ui/signal.ts";
import { LiveRow } from "./live-row.tsx";

// Live: the newest rows only (a screen and a bit: at 1 000 events/s each update replaces most of
// them). Paused: a longer history to read through.
const SHOWN_LIVE = 60;
const SHOWN_PAUSED = 500;
const KINDS = ["hit", "decision", "ban"] as const;
const SERVICES = ["ssh", "telnet", "ftp", "http", "smtp", "redis", "mysql", "generic"];

function matches(e: LiveEvent, kinds: Set<string>, service: string, text: string, sessions: Map<string, TrapSession>): boolean {
  if (!kinds.has(e.kind)) return false;
  if (service && (e.kind !== "hit" || e.data.service !== service)) return false;
  if (text) {
    const src = e.kind === "hit" ? e.data.src : e.data.address.text;
    // Also country / ASN / org of the hit's session, when apid sends them.
    const session = e.kind === "hit" ? sessions.get(e.data.session_id) : undefined;
    if (!src.includes(text) && !(session && geoMatches(session, text))) return false;
  }
  return true;
}

/** The live threat stream: newest first, filters, pause (events keep arriving and are counted). */
export function LiveView({ s }: { s: Sess }) {
  useSignal(s.store.version);
  const stream = useSignal(s.stream);
  useRenderTiming("live");
  const [kinds, setKinds] = useState<Set<string>>(new Set(KINDS));
  const [service, setService] = useState("");
  const [text, setText] = useState("");
  const [paused, setPaused] = useState<{ events: LiveEvent[]; total: number } | null>(null);
  const events = paused ? paused.events : s.store.events;
  const rows = useMemo(() => {
    const out: LiveEvent[] = [];
    for (const e of events) {
      if (matches(e, kinds, service, text.trim(), s.store.sessions)) out.push(e);
      if (out.length >= (paused ? SHOWN_PAUSED : SHOWN_LIVE)) break;
    }
    return out;
  }, [events, kinds, service, text, paused]);
  const toggle = (k: string) => {
    const n = new Set(kinds);
    if (n.has(k)) n.delete(k);
    else n.add(k);
    setKinds(n);
  };
  const waiting = paused ? s.store.total - paused.total : 0;
  return (
    <div class="view view-live">
      <div class="toolbar">
        <div class="chips" role="group" aria-label="Event kinds">
          {KINDS.map((k) => (
            <button key={k} type="button" class={`chip ${kinds.has(k) ? "on" : ""}`} aria-pressed={kinds.has(k)} onClick={() => toggle(k)}>
              {k === "hit" ? "Hits" : k === "decision" ? "Decisions" : "Bans"}
            </button>
          ))}
        </div>
        <select aria-label="Service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
          <option value="">all services</option>
          {SERVICES.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <input type="search" placeholder="filter by source (or country, ASN)…" aria-label="Filter by source" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <span class="spacer" />
        <span class="stream-state" data-state={stream}>
          <Dot tone={stream === "live" ? "ok" : stream === "closed" ? "danger" : "warn"} /> {stream}
        </span>
        <span class="muted nowrap" data-testid="live-count">
          {num(s.store.total)} events{s.store.backfilled ? ` (${num(s.store.backfilled)} from before this page opened)` : ""}
        </span>
        <button type="button" class={`btn ${paused ? "btn-primary" : ""}`} onClick={() => setPaused(paused ? null : { events: s.store.events, total: s.store.total })}>
          {paused ? `Resume${waiting ? ` (${num(waiting)} new)` : ""}` : "Pause"}
        </button>
      </div>
      <div class="table-wrap">
        <table class="grid live-table">
          <colgroup>
            <col class="w-time" />
            <col class="w-kind col-wide" />
            <col class="w-src" />
            <col class="w-svc" />
            <col />
            <col class="w-ent col-opt" />
            <col class="w-dec col-opt" />
            <col class="w-ban" />
          </colgroup>
          <thead>
            <tr>
              <th>Time</th>
              <th class="col-wide">Kind</th>
              <th>Source</th>
              <th>Service</th>
              <th>Sent / detail</th>
              <th class="num col-opt" title="Shannon entropy of what was received, bits per byte">Entropy</th>
              <th class="col-opt">Decision</th>
              <th>Ban</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <LiveRow key={e.id} e={e} st={s.store.sources.get(e.kind === "hit" ? e.data.src : e.data.address.text)} session={e.kind === "hit" ? s.store.sessions.get(e.data.session_id) : undefined} />
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <Empty>{s.store.total ? "No event matches the filters." : "Waiting for events… Trap hits, decisions and ban changes appear here as they happen."}</Empty>}
      </div>
    </div>
  );
}
