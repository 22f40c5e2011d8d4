import { useMemo } from "preact/hooks";
import type { Session as TrapSession } from "../api/types.ts";
import type { Session } from "../session/session.ts";
import { Badge, Dot } from "../ui/badge.tsx";
import { bytes, duration, num, rate } from "../ui/format.ts";
import { Panel } from "../ui/panel.tsx";
import { useRenderTiming } from "../ui/perf.ts";
import { useSignal } from "../ui/signal.ts";
import { aggregate } from "./aggregate.ts";
import { Bars, Spark } from "./charts.tsx";
import { HistoryPanel } from "./history-panel.tsx";
import { historyOf } from "./history.ts";
import { ModeSwitch } from "./mode-switch.tsx";
import { usePoll } from "./use-poll.ts";

function Stat({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: string }) {
  return (
    <div class={`stat ${tone ? `tone-${tone}` : ""}`}>
      <span class="stat-label">{label}</span>
      <span class="stat-value">{value}</span>
      {sub && <span class="stat-sub">{sub}</span>}
    </div>
  );
}

/** The node at a glance: mode, kernel drop rates, bans over time, who attacks what. */
export function OverviewView({ s }: { s: Session }) {
  const hist = historyOf(s);
  const status = usePoll(async () => {
    const st = await s.api.status();
    hist.add(st);
    return st;
  }, 2000);
  const stats = usePoll(() => s.api.stats(), 5000);
  const recent = usePoll(() => s.api.events({ limit: 1000 }).then((p) => p.items as TrapSession[]), 10_000);
  useSignal(s.store.version);
  useRenderTiming("overview");
  const agg = useMemo(() => aggregate(recent.data ?? []), [recent.data]);
  const st = status.data;
  const last = hist.samples[hist.samples.length - 1];
  const enf = st?.enforcement;
  return (
    <div class="view view-overview">
      {(status.error || stats.error) && <p class="banner banner-danger">Cannot read the node: {status.error ?? stats.error}</p>}
      {enf?.note && <p class={`banner ${enf.mode === "lockdown" ? "banner-danger" : "banner-warn"}`}>{enf.note}</p>}
      <div class="stats">
        <Stat label="Active bans" value={num(st?.active_bans)} sub={stats.data ? `${num(stats.data.bans.permanent)} permanent · ${num(stats.data.unbans)} unbanned` : undefined} />
        <Stat label="Dropped / s" value={last ? rate(last.dropped) : "—"} sub="in the kernel (XDP)" tone="danger" />
        <Stat label="Would drop / s" value={last ? rate(last.wouldDrop) : "—"} sub="test mode counts" tone="warn" />
        <Stat label="Passed / s" value={last ? rate(last.passed) : "—"} sub={`${num(st?.kernel?.syn_seen)} SYN seen`} />
        <Stat label="Trap sessions" value={num(stats.data?.sessions.total)} sub={`${num(stats.data?.peers)} peers · ${num(stats.data?.allowlist)} allowlisted`} />
      </div>
      <HistoryPanel s={s} activeNow={st?.active_bans} />
      <div class="grid-2">
        <Panel title="Enforcement" class="panel-mode">
          <ModeSwitch s={s} mode={enf?.mode ?? null} onChanged={status.reload} />
          <p class="muted small">
            {enf ? (
              <>
                kernel: <b>{enf.state}</b>
                {enf.interfaces.length > 0 ? ` on ${enf.interfaces.map((i) => `${i.name} (${i.attach})`).join(", ")}` : ""}
                {enf.mode_source ? ` · mode from ${enf.mode_source}` : ""}
              </>
            ) : (
              "…"
            )}
          </p>
        </Panel>
        <Panel title="Kernel packets per second" actions={<span class="muted small">live, every 2 s</span>}>
          <Spark
            label="dropped and would-drop packets per second"
            series={[
              { name: "dropped", values: hist.samples.map((x) => x.dropped), tone: "danger" },
              { name: "would drop", values: hist.samples.map((x) => x.wouldDrop), tone: "warn" },
            ]}
          />
        </Panel>
        <Panel title="Kernel drops by reason">
          <Bars data={Object.entries(last?.droppedBy ?? {}).filter(([, v]) => v > 0)} empty="no drop (or would-drop) in the last 2 s" />
          <div class="muted small">packets per second, dropped or (test mode) would-drop</div>
        </Panel>
        <Panel title="Active bans by reason">
          <Bars data={Object.entries(stats.data?.bans.by_reason ?? {})} />
        </Panel>
        <Panel title="Top sources" actions={<span class="muted small">last {num(recent.data?.length ?? 0)} sessions</span>}>
          <Bars data={agg.sources} mono empty="no trap session yet" />
        </Panel>
        <Panel title="Top services">
          <Bars data={Object.entries(stats.data?.sessions.by_service ?? {})} empty="no trap session yet" />
        </Panel>
        <Panel title="Credentials tried">
          <Bars data={agg.creds} mono empty="no password tried yet" />
        </Panel>
        <Panel title="Services">
          <table class="grid compact">
            <tbody>
              {(st?.services ?? []).map((x) => (
                <tr key={x.name}>
                  <td>
                    <Dot tone={x.up ? (x.status === "ok" ? "ok" : "warn") : "danger"} /> {x.name}
                  </td>
                  <td title={x.degraded.map((d) => d.detail).join("; ") || undefined}>{x.up ? <Badge tone={x.status === "ok" ? "ok" : "warn"}>{x.status ?? "up"}</Badge> : <Badge tone="danger">down</Badge>}</td>
                  <td class="muted mono num">{x.uptime_s !== null ? duration(x.uptime_s) : ""}</td>
                  <td class="muted mono num col-opt">{x.rss_bytes ? bytes(x.rss_bytes) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </div>
  );
}
