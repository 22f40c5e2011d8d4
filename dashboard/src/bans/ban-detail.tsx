import { useState } from "preact/hooks";
import type { Ban } from "../api/types.ts";
import { Reasons } from "../ui/badge.tsx";
import { EvidenceList } from "../ui/evidence-list.tsx";
import { countdown, dateTime, TTL_CHOICES } from "../ui/format.ts";
import { geoOf, geoText } from "../ui/geo.ts";
import type { banActions } from "./ban-actions.ts";

/** The selected ban in full, with the operator's actions when the token may write. */
export function BanDetail({ b, now, local, actions, onDone, onClose }: { b: Ban; now: number; local: string; actions: ReturnType<typeof banActions> | null; onDone: (value: string) => void; onClose: () => void }) {
  const [ttl, setTtl] = useState(86_400);
  const gone = b.expires_at === -1;
  const cd = gone ? { text: "unbanned" } : countdown(b.expires_at, now);
  const run = (p: Promise<boolean>) => void p.then((ok) => ok && onDone(b.address.text));
  return (
    <aside class="detail" aria-label={`Ban ${b.address.text}`}>
      <header class="panel-head">
        <h2 class="mono">{b.address.text}</h2>
        <button type="button" class="btn btn-ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      <dl class="facts">
        <dt>Reasons</dt>
        <dd>
          <Reasons names={b.reasons} />
        </dd>
        <dt>Expires</dt>
        <dd>
          {cd.text}
          {b.expires_at > 0 && <span class="muted"> · {dateTime(b.expires_at)}</span>}
        </dd>
        <dt>Origin</dt>
        <dd data-origin={b.origin === local ? "local" : "mesh"}>{b.origin === local ? `this node (${local})` : `mesh peer ${b.origin}`}</dd>
        {geoText(geoOf(b)) && (
          <>
            <dt>Network</dt>
            <dd>{geoText(geoOf(b))}</dd>
          </>
        )}
        <dt>Source</dt>
        <dd>{b.source}</dd>
        <dt>Offence</dt>
        <dd>#{b.offence}</dd>
        <dt>First banned</dt>
        <dd>{dateTime(b.created_at)}</dd>
        <dt>Updated</dt>
        <dd>{dateTime(b.updated_at)}</dd>
      </dl>
      <a class="btn drill" href={`#/source/${encodeURIComponent(b.address.text)}`} data-testid="drill">
        {b.address.kind === "ip" ? "Sessions, commands, credentials →" : "Prefix ban details →"}
      </a>
      <h3>Evidence</h3>
      {b.evidence.length ? (
        <EvidenceList items={b.evidence} />
      ) : (
        <p class="muted">none recorded</p>
      )}
      {actions && !gone && (
        <div class="actions">
          <h3>Actions</h3>
          <div class="row">
            <select aria-label="Extend by" value={ttl} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
              {TTL_CHOICES.filter((c) => c.s > 0).map((c) => (
                <option key={c.s} value={c.s}>
                  {c.label}
                </option>
              ))}
            </select>
            <button type="button" class="btn" onClick={() => run(actions.extend(b.address.text, ttl))}>
              Extend
            </button>
            <button type="button" class="btn" disabled={b.expires_at === 0} onClick={() => run(actions.permanent(b.address.text))}>
              Make permanent
            </button>
          </div>
          <div class="row">
            <button type="button" class="btn btn-danger-soft" onClick={() => run(actions.unban(b.address.text, "local"))}>
              Unban here
            </button>
            <button type="button" class="btn btn-danger-soft" onClick={() => run(actions.unban(b.address.text, "global"))}>
              Unban everywhere
            </button>
            <button type="button" class="btn" onClick={() => run(actions.allow(b.address.text))}>
              Allowlist
            </button>
          </div>
        </div>
      )}
    </aside>
  );
}
