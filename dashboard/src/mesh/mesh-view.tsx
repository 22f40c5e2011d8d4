import { reasonNames, type Peer, type Status } from "../api/types.ts";
import { usePoll } from "../overview/use-poll.ts";
import type { Session } from "../session/session.ts";
import { Badge, Dot, Reasons, type Tone } from "../ui/badge.tsx";
import { ago, clock, num } from "../ui/format.ts";
import { Empty, Panel } from "../ui/panel.tsx";
import { useRenderTiming } from "../ui/perf.ts";
import { useNow, useSignal } from "../ui/signal.ts";

const TRUST_TONE: Record<string, Tone> = { trusted: "ok", full: "ok", limited: "info", observe: "neutral", untrusted: "warn", quarantined: "danger", blocked: "danger" };

function PeerRow({ p, now }: { p: Peer; now: number }) {
  const connected = p.connected;
  return (
    <tr>
      <td>
        <Dot tone={connected ? "ok" : "neutral"} /> <span class="mono" title={p.peer_id}>{p.peer_id.slice(0, 12)}…{p.peer_id.slice(-6)}</span>
        <div class="muted small">{p.node_id ?? "node id not yet known"}</div>
      </td>
      <td>
        <Badge tone={TRUST_TONE[p.trust] ?? "neutral"}>{p.trust}</Badge>
      </td>
      <td class="mono col-opt">{p.address ?? "—"}</td>
      <td class="nowrap">{connected ? "connected" : ago(p.last_seen, now)}</td>
      <td class="mono num">{num(p.msgs_in)}</td>
      <td class="mono num">{num(p.msgs_out)}</td>
      <td class={`mono num ${p.rejected ? "txt-danger" : ""}`} title={p.last_reject ?? ""}>
        {num(p.rejected)}
      </td>
      <td class="mono num col-opt">{p.score.toFixed(1)}</td>
    </tr>
  );
}

/**
 * Whether this node is in a mesh at all, from meshd's health in /v1/status: off (meshd says
 * mesh_off and why), meshd not running, or on.
 */
export function meshState(st: Status | undefined): { state: "unknown" | "on" | "off" | "down"; detail: string } {
  if (!st) return { state: "unknown", detail: "" };
  const m = st.services.find((x) => x.name === "meshd");
  if (!m || !m.up) return { state: "down", detail: "meshd is not running on this node: no decision is shared with or received from peers." };
  const off = m.degraded.find((d) => d.code === "mesh_off");
  if (off) return { state: "off", detail: off.detail };
  return { state: "on", detail: "" };
}

/** Peers as meshd sees them, and how the last decisions travelled (origin → applied here). */
export function MeshView({ s }: { s: Session }) {
  const peers = usePoll(() => s.api.peers(), 3000);
  const status = usePoll(() => s.api.status(), 3000);
  const mesh = meshState(status.data);
  useSignal(s.store.version);
  useRenderTiming("mesh");
  const now = useNow(1000);
  const decisions = s.store.decisions.slice(0, 40);
  return (
    <div class="view view-mesh" data-mesh={mesh.state}>
      {mesh.state === "off" && (
        <p class="banner banner-warn" data-testid="mesh-off">
          <b>The mesh is off</b>: {mesh.detail}. This node neither shares its decisions nor receives its peers'. Create a key with <code>honeymesh mesh keygen</code>, set <code>[mesh] cluster_key_file</code> to it, and restart meshd.
        </p>
      )}
      {mesh.state === "down" && (
        <p class="banner banner-danger" data-testid="mesh-off">
          {mesh.detail}
        </p>
      )}
      <Panel title="Peers" actions={<span class="muted small">{num(peers.data?.items.length ?? 0)} known{mesh.state === "off" || mesh.state === "down" ? ", as meshd last recorded them" : ""}</span>}>
        {peers.error && <p class="banner banner-danger">{peers.error}</p>}
        {peers.data?.items.length ? (
          <div class="table-wrap">
            <table class="grid">
              <thead>
                <tr>
                  <th>Peer</th>
                  <th>Trust</th>
                  <th class="col-opt">Address</th>
                  <th>Last seen</th>
                  <th class="num">In</th>
                  <th class="num">Out</th>
                  <th class="num">Rejected</th>
                  <th class="num col-opt">Score</th>
                </tr>
              </thead>
              <tbody>
                {peers.data.items.map((p) => (
                  <PeerRow key={p.peer_id} p={p} now={now} />
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{mesh.state === "off" ? "No peer: the mesh is off (see above)." : mesh.state === "down" ? "No peer: meshd is not running." : "No peer yet. Peers appear once meshd has connected to another node of the cluster."}</Empty>
        )}
      </Panel>
      <Panel title="Decision propagation" actions={<span class="muted small">live, since this page opened</span>}>
        {decisions.length ? (
          <ol class="prop">
            {decisions.map(({ d, received, appliedAt, change }, i) => {
              const local = d.origin === s.who.node;
              return (
                <li key={`${d.address.text}-${d.at}-${i}`} class={`prop-item ${d.action}`}>
                  <span class="mono muted">{clock(received)}</span>
                  <span class="prop-path">
                    <span class={`node ${local ? "node-local" : "node-peer"}`} title="origin">
                      {local ? "this node" : d.origin}
                    </span>
                    <span class="arrow" aria-hidden="true">
                      →
                    </span>
                    <span class="node node-local">{appliedAt ? `${change ?? "applied"} here` : "not applied yet"}</span>
                  </span>
                  <span class="mono">{d.address.text}</span>
                  <Badge tone={d.action === "ban" ? "danger" : "ok"}>{d.action}</Badge>
                  <Reasons names={reasonNames(d.reasons)} />
                  <span class="muted small">
                    {d.source}
                    {appliedAt ? ` · +${Math.max(0, appliedAt - received)} ms here` : ""}
                    {!local ? ` · made ${Math.max(0, Math.round((received - d.at) / 100) / 10)} s before it reached us` : ""}
                  </span>
                </li>
              );
            })}
          </ol>
        ) : (
          <Empty>No decision since this page opened. Local and peer decisions appear here with the time each took to be applied.</Empty>
        )}
      </Panel>
    </div>
  );
}
