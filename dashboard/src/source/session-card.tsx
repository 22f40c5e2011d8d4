import type { Session } from "../api/types.ts";
import { Badge } from "../ui/badge.tsx";
import { bytes, dateTime, duration } from "../ui/format.ts";
import { geoOf, geoText } from "../ui/geo.ts";

/** One trap session in full: credentials tried, commands typed, what was downloaded or dropped. */
export function SessionCard({ x }: { x: Session }) {
  const geo = geoText(geoOf(x));
  const urls = x.indicators?.urls ?? [];
  const files = x.files ?? [];
  return (
    <article class="sess" data-session={x.session_id}>
      <header class="sess-head">
        <Badge tone="danger">{x.service}</Badge>
        <span class="mono">:{x.dst_port}</span>
        <span class="mono">{dateTime(x.started_at)}</span>
        <span class="muted">
          {duration((x.ended_at - x.started_at) / 1000)} · {x.end_reason} · {bytes(x.bytes_in)} in · entropy {x.entropy.toFixed(2)}
        </span>
        {geo && <span class="geo muted">{geo}</span>}
      </header>
      {x.credentials.length > 0 && (
        <section>
          <h4>Credentials ({x.credentials.length})</h4>
          <ul class="creds mono">
            {x.credentials.map((c, i) => (
              <li key={i} data-cred={`${c.username}:${c.password ?? ""}`}>
                {c.method === "publickey" ? `${c.username} 🔑 ${c.key_fingerprint ?? ""}` : `${c.username}:${c.password ?? ""}`}
                {c.method !== "password" && c.method !== "publickey" && <span class="muted"> ({c.method})</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {x.commands.length > 0 && (
        <section>
          <h4>Commands ({x.commands.length})</h4>
          <ol class="cmds mono">
            {x.commands.map((c, i) => (
              <li key={i} data-cmd={c}>
                <span class="muted">{x.command_at?.[i] !== undefined ? `+${(x.command_at[i]! / 1000).toFixed(1)}s ` : ""}$ </span>
                {c}
              </li>
            ))}
          </ol>
        </section>
      )}
      {(urls.length > 0 || files.length > 0) && (
        <section>
          <h4>Downloads and files</h4>
          <ul class="dl mono">
            {urls.map((u) => (
              <li key={u} data-url={u}>
                ↓ {u}
              </li>
            ))}
            {files.map((f) => (
              <li key={f.sha256 + f.name} data-file={f.name}>
                {f.name} <span class="muted">({f.via}, {bytes(f.size)}, sha256 {f.sha256.slice(0, 16)}…{f.stored ? ", quarantined" : ""})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {(x.persistence?.length ?? 0) > 0 && (
        <section>
          <h4>Persistence attempts</h4>
          <ul class="mono">
            {x.persistence!.map((p, i) => (
              <li key={i}>
                {p.kind}: {p.path} <span class="muted">{p.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!x.credentials.length && !x.commands.length && !urls.length && !files.length && <p class="muted small">{x.meta.method ? `${x.meta.method} ${x.meta.path ?? ""}` : x.bytes_in ? `${x.bytes_in} bytes, no command` : "connected, sent nothing"}</p>}
    </article>
  );
}
