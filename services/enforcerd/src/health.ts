import type { HealthReport } from "@honeymesh/runtime/health";
import type { ControlApplier } from "./control/apply-control.ts";
import type { DecisionApplier } from "./decisions/apply-decision.ts";
import type { DecisionBatcher } from "./decisions/decision-batcher.ts";
import type { KernelState } from "./kernel-setup.ts";
import type { ReconcileReport } from "./reconcile.ts";
import type { BanStore } from "./store/ban-store.ts";

/** Enforcement facts for health/status: mode, where attached, bans, kernel counters, refusals. */
export function enforcerHealth(k: KernelState, bans: BanStore, applier: DecisionApplier, control: ControlApplier, batcher: DecisionBatcher, reconciled?: ReconcileReport): HealthReport {
  const details: HealthReport["details"] = {
    enforcement: k.enforcement,
    mode: control.state.mode,
    mode_source: control.state.modeSource,
    allowlist_entries: bans.allowEntries().length,
    interfaces: k.interfaces.map((i) => `${i.name}(${i.mode})`).join(",") || "none",
    active_bans: bans.count(),
    decisions_rejected_total: applier.rejected.total(),
    decision_queue: batcher.depth,
    decision_batches: batcher.batches,
    decisions_dropped_overload: batcher.dropped,
  };
  if (reconciled) for (const [k2, v] of Object.entries(reconciled)) details[`reconcile_${k2}`] = v;
  for (const [reason, n] of Object.entries(control.rejected.snapshot())) details[`control_rejected_${reason}`] = n;
  for (const [reason, n] of Object.entries(applier.rejected.snapshot())) details[`decisions_rejected_${reason}`] = n;
  if (k.kernel) {
    try {
      const c = k.kernel.counters();
      details.kernel_passed = Number(c.passed);
      details.kernel_dropped = Number(c.dropped);
      details.kernel_would_drop = Number(c.wouldDrop);
      details.kernel_syn_seen = Number(c.synSeen);
      details.kernel_scan_events = Number(c.scanEvents);
      details.kernel_lockdown_dropped = Number(c.lockdownDropped);
      details.kernel_unparsed_passed = Number(c.unparsedPassed);
      details.kernel_v4_frag_evasion = Number(c.v4FragEvasion);
      details.kernel_v6_l4_hidden = Number(c.v6L4Hidden);
      details.kernel_vlan_deep = Number(c.vlanDeep);
      for (const [reason, n] of Object.entries(c.droppedByReason)) details[`kernel_dropped_${reason.toLowerCase()}`] = Number(n);
      for (const [reason, n] of Object.entries(c.wouldDropByReason)) details[`kernel_would_drop_${reason.toLowerCase()}`] = Number(n);
    } catch {
      details.kernel_counters = "unreadable";
    }
  }
  return { status: k.enforcement === "active" ? "ok" : "degraded", details };
}
