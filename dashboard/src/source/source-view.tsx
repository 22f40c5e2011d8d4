import { useEffect, useState } from "preact/hooks";
import type { Ban, Explanation, Peer, Session as TrapSession } from "../api/types.ts";
import type { Session } from "../session/session.ts";
import { Badge, Reasons } from "../ui/badge.tsx";
import { EvidenceList } from "../ui/evidence-list.tsx";
import { countdown, dateTime, num } from "../ui/format.ts";
import { geoOf, geoText } from "../ui/geo.ts";
import { Empty, Panel } from "../ui/panel.tsx";
import { useNow } from "../ui/signal.ts";
import { SessionCard } from "./session-card.tsx";

const PAGE = 50;
const REFRESH_MS = 5000;

/** Where a ban came from: this node, or the mesh peer that decided it (with what meshd knows of it). */
function Origin({ b, local, peers }: { b: Ban; local: string; peers: Peer[] }) {
  if (b.origin === local) return <span data-origin="local">this node ({b.source})</span>;
  const p = peers.find((x) => x.node_id === b.origin);
  return (
    <span data-origin="mesh">
      mesh peer <b class="mono">{b.origin}</b> ({b.source})
      {p ? <span class="muted"> · trust {p.trust}, {p.connected ? "connected" : "not connected"}</span> : <span class="muted"> · not in meshd's peer list</span>}
    </span>
  );
}

/**
 * One source address: the bans covering it with their evidence and origin (this node or a mesh
 * peer), and every trap session it opened (apid's strict `address=` filter), page by page.
 */
export function SourceView({ s, arg }: { s: Session; arg?: string }) {
  const address = (arg ?? "").trim();
  const now = useNow(1000);
  const [ex, setEx] = useState<Explanation | { error: string } | null>(null);
  const [ban, setBan] = useState<Ban | null>(null);
  const [peers, setPeers] = useState<Peer[]>([]);
  const [list, setList] = useState<{ items: TrapSession[]; cursor: string | null; error?: string; loading: boolean }>({ items: [], cursor: null, loading: true });
  const prefix = address.includes("/");

  const more = (cursor: string | null) => {
    setList((l) => ({ ...l, loading: true }));
    s.api.events({ address, limit: PAGE, cursor }).then(
      (p) => setList((l) => ({ items: cursor ? l.items.concat(p.items) : p.items, cursor: p.next_cursor, loading: false })),
      (e: Error) => setList((l) => ({ ...l, error: e.message, loading: false })),
    );
  };
  useEffect(() => {
    setEx(null);
    setBan(null);
    setList({ items: [], cursor: null, loading: !prefix });
    if (!address) return;
    void s.api.peers().then((p) => setPeers(p.items), () => setPeers([]));
    if (prefix) {
      void s.api.get<Ban>(`/v1/bans/${encodeURIComponent(address)}`).then(setBan, (e: Error) => setEx({ error: e.message }));
      return;
    }
    void s.api.explain(address).then(setEx, (e: Error) => setEx({ error: e.message }));
    more(null);
    // New sessions from this address appear on top while the page is open.
    const t = setInterval(() => {
      s.api.events({ address, limit: PAGE }).then(
        (p) =>
          setList((l) => {
            const known = new Set(l.items.map((x) => x.session_id));
            const fresh = p.items.filter((x) => !known.has(x.session_id));
            return fresh.length ? { ...l, items: fresh.concat(l.items) } : l;
          }),
        () => {},
      );
    }, REFRESH_MS);
    return () => clearInterval(t);
  }, [s, address]);

  const bans = ban ? [ban] : ex && "bans" in ex ? ex.bans : [];
  const geo = geoText(list.items.map((x) => geoOf(x)).find(Boolean) ?? (bans[0] ? geoOf(bans[0]) : undefined));
  return (
    <div class="view view-source" data-address={address}>
      <div class="toolbar">
        <a class="btn btn-ghost" href="#/bans">
          ← Bans
        </a>
        <h2 class="mono source-title">{address || "no address"}</h2>
        {geo && <span class="geo muted">{geo}</span>}
        <span class="spacer" />
        {ex && "summary" in ex && <Badge tone={ex.blocked ? "danger" : ex.allowlisted_by.length ? "ok" : "neutral"}>{ex.blocked ? "blocked" : ex.allowlisted_by.length ? "allowlisted" : "not blocked"}</Badge>}
      </div>
      {ex && "error" in ex && <p class="banner banner-danger">{ex.error}</p>}
      {ex && "summary" in ex && <p class="muted source-summary">{ex.summary}</p>}
      <div class="grid-2">
        <Panel title="Bans and evidence" actions={<span class="muted small">{num(bans.length)} covering it</span>}>
          {bans.length ? (
            bans.map((b) => {
              const cd = countdown(b.expires_at, now);
              return (
                <div class="src-ban" key={b.address.text} data-ban={b.address.text}>
                  <div class="row">
                    <span class="mono">{b.address.text}</span> <Reasons names={b.reasons} /> <span class={`mono cd-${cd.tone}`}>{cd.text}</span>
                  </div>
                  <dl class="facts">
                    <dt>Origin</dt>
                    <dd>
                      <Origin b={b} local={s.who.node} peers={peers} />
                    </dd>
                    <dt>Offence</dt>
                    <dd>
                      #{b.offence} · {b.confidence}
                    </dd>
                    <dt>Since</dt>
                    <dd>{dateTime(b.created_at)}</dd>
                  </dl>
                  <EvidenceList items={b.evidence} />
                </div>
              );
            })
          ) : (
            <Empty>{ex || ban ? "No live ban covers this address." : "…"}</Empty>
          )}
          {ex && "mesh_origins" in ex && ex.mesh_origins.length > 0 && <p class="small" data-testid="mesh-origins">Decided on other nodes: {ex.mesh_origins.join(", ")}</p>}
        </Panel>
        <Panel title="Trap sessions" class="panel-sessions" actions={<span class="muted small" data-testid="session-count">{prefix ? "" : `${num(list.items.length)}${list.cursor ? "+" : ""} shown`}</span>}>
          {prefix && <Empty>A prefix ban: its sessions are listed per address (open one from the live view).</Empty>}
          {list.error && <p class="banner banner-danger">{list.error}</p>}
          {list.items.map((x) => (
            <SessionCard key={x.session_id} x={x} />
          ))}
          {!prefix && !list.loading && !list.items.length && !list.error && <Empty>No trap session from this address is stored.</Empty>}
          {list.cursor && (
            <button type="button" class="btn" disabled={list.loading} onClick={() => more(list.cursor)}>
              Older sessions
            </button>
          )}
        </Panel>
      </div>
    </div>
  );
}
