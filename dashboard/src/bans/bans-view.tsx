import { useEffect, useMemo, useState } from "preact/hooks";
import { REASON_NAMES, type Ban } from "../api/types.ts";
import { canWrite, type Session } from "../session/session.ts";
import { num } from "../ui/format.ts";
import { geoMatches, geoOf } from "../ui/geo.ts";
import { useRenderTiming } from "../ui/perf.ts";
import { useNow, useSignal } from "../ui/signal.ts";
import { banActions } from "./ban-actions.ts";
import { BanDetail } from "./ban-detail.tsx";
import { BanList, MAX_ROWS, type BanQuery } from "./ban-list.ts";
import { BanRow, ROW_H } from "./ban-row.tsx";
import { BanForm } from "./ban-form.tsx";
import { VirtualRows } from "./virtual-rows.tsx";

const EMPTY: BanQuery = { state: "active", contains: "", reason: "", origin: "" };

/** Bans: server-side filters and keyset pages, a windowed table, details and actions. */
export function BansView({ s }: { s: Session }) {
  const [query, setQuery] = useState<BanQuery>(EMPTY);
  const [draft, setDraft] = useState<BanQuery>(EMPTY);
  const [reload, setReload] = useState(0);
  const list = useMemo(() => new BanList(s.api, query), [s, query, reload]);
  const [selected, setSelected] = useState<Ban | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  useSignal(list.version);
  useRenderTiming("bans");
  const now = useNow(1000);
  const actions = canWrite(s.who) ? banActions(s.api) : null;

  useEffect(() => {
    void list.more();
    return () => list.close();
  }, [list]);
  useEffect(() => s.store.banChanges.subscribe((c) => list.apply(c)), [list]);
  useEffect(() => {
    void s.api.status().then((st) => setTotal(st.active_bans), () => setTotal(null));
  }, [list]);
  // Debounced: typing an address re-queries 300 ms after the last key.
  useEffect(() => {
    if (draft === query) return;
    const t = setTimeout(() => setQuery(draft), 300);
    return () => clearTimeout(t);
  }, [draft]);

  // Country / ASN / organisation appear when apid sends them (an optional enrichment).
  // Looked for in the first rows only: this runs at every render (the countdown ticks each second).
  const hasGeo = list.rows.length > 0 && list.rows.slice(0, 500).some((r) => geoOf(r) !== undefined);
  const [geoFilter, setGeoFilter] = useState("");
  const rows = useMemo(() => (hasGeo && geoFilter.trim() ? list.rows.filter((r) => geoMatches(r, geoFilter)) : list.rows), [list, list.version.value, list.rows.length, hasGeo, geoFilter]);
  const sel = selected ? (list.rows.find((r) => r.address.text === selected.address.text) ?? selected) : null;
  const set = (patch: Partial<BanQuery>) => setDraft({ ...draft, ...patch });
  const refreshed = (value: string) => {
    void list.refresh(value);
    if (!list.rows.some((r) => r.address.text === value)) setReload((n) => n + 1);
  };
  return (
    <div class={`view view-bans ${sel ? "has-detail" : ""}`}>
      <div class="toolbar">
        <input type="search" class="mono" placeholder="address, e.g. 203.0.113.7: the bans that drop it" aria-label="Bans that drop this address" value={draft.contains} onInput={(e) => set({ contains: e.currentTarget.value })} />
        <select aria-label="State" value={draft.state} onChange={(e) => set({ state: e.currentTarget.value as BanQuery["state"] })}>
          <option value="active">active</option>
          <option value="expired">expired</option>
          <option value="all">all</option>
        </select>
        <select aria-label="Reason" value={draft.reason} onChange={(e) => set({ reason: e.currentTarget.value })}>
          <option value="">any reason</option>
          {REASON_NAMES.map((r) => (
            <option key={r} value={r}>
              {r.toLowerCase()}
            </option>
          ))}
        </select>
        <input placeholder="origin node" aria-label="Origin" value={draft.origin} onInput={(e) => set({ origin: e.currentTarget.value })} />
        {hasGeo && <input type="search" placeholder="country, ASN, org (loaded rows)" aria-label="Filter by country, ASN or organisation" value={geoFilter} onInput={(e) => setGeoFilter(e.currentTarget.value)} />}
        <span class="spacer" />
        <span class="muted nowrap" data-testid="ban-count">
          {num(list.rows.length)} loaded{total !== null && query.state === "active" ? ` of ${num(total)} active` : ""}
        </span>
        {list.newSince > 0 && (
          <button type="button" class="btn btn-primary" onClick={() => setReload((n) => n + 1)}>
            {num(list.newSince)} new · reload
          </button>
        )}
      </div>
      {actions && <BanForm actions={actions} onDone={refreshed} />}
      <div class="bans-split">
        <div class={`bans-table ${hasGeo ? "has-geo" : ""}`} role="table" aria-label="Bans">
          <div role="row" class="brow bhead">
            <span role="columnheader">Address</span>
            <span role="columnheader">Reasons</span>
            <span role="columnheader" class="col-opt">Origin</span>
            <span role="columnheader" class="col-opt">Source</span>
            <span role="columnheader" class="col-opt">Evidence</span>
            {hasGeo && (
              <span role="columnheader" class="col-opt">
                Network
              </span>
            )}
            <span role="columnheader">Expires in</span>
          </div>
          <VirtualRows
            items={rows}
            rowHeight={ROW_H}
            onNearEnd={() => void list.more()}
            render={(b) => <BanRow key={b.address.text} b={b} now={now} selected={sel?.address.text === b.address.text} local={s.who.node} geo={hasGeo} onSelect={setSelected} />}
            footer={
              <div class="vfoot muted">
                {list.error ? `Error: ${list.error}` : list.busy ? "loading…" : list.done ? (list.rows.length >= MAX_ROWS ? `first ${num(MAX_ROWS)} shown; narrow the search` : list.rows.length ? "end of list" : "No ban matches.") : ""}
              </div>
            }
          />
        </div>
        {sel && <BanDetail b={sel} now={now} local={s.who.node} actions={actions} onDone={refreshed} onClose={() => setSelected(null)} />}
      </div>
    </div>
  );
}
