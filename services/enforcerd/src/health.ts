import type { HealthReport } from "@honeymesh/runtime/health";
import { CONTROL_REJECTS, DECISION_APPLIED, DECISION_REJECTS, KERNEL_REASONS, type KernelMetrics, type OwnMetrics, type SameNames } from "@honeymesh/schema/metrics";
import type { ControlApplier, ControlReject } from "./control/apply-control.ts";
import type { DecisionApplier } from "./decisions/apply-decision.ts";
import type { DecisionBatcher } from "./decisions/decision-batcher.ts";
import type { KernelCounters } from "./kernel/counters.ts";
import type { GuardCounters } from "./kernel/guard.ts";
import type { ReasonName } from "./kernel/layout.ts";
import type { KernelState } from "./kernel-setup.ts";
import type { DecisionReject } from "./decisions/validate.ts";
import type { KernelBanRecorder } from "./kernel-ban-recorder.ts";
import type { KernelBanSweep } from "./kernel-ban-sweep.ts";
import type { ReconcileReport } from "./reconcile.ts";
import type { BanStore } from "./store/ban-store.ts";

// Every refusal and kernel reason enforcerd counts has its key in the metrics, and no other.
const sameNames: [SameNames<ReasonName, (typeof KERNEL_REASONS)[number]>, SameNames<DecisionReject | "kernel_write", (typeof DECISION_REJECTS)[number]>, SameNames<ControlReject, (typeof CONTROL_REJECTS)[number]>] = [true, true, true];
void sameNames;

/** Enforcement state for health: mode, where XDP is attached, and why not when it is not. */
export function enforcerHealth(k: KernelState, control: ControlApplier): HealthReport {
  const active = k.enforcement === "active";
  const guard = k.guard === "on" || k.guard === "off" ? k.guard : "unavailable";
  return {
    degraded: [
      ...(active ? [] : [{ code: "enforcement_unavailable" as const, detail: k.enforcement.slice(0, 512) }]),
      ...(guard === "unavailable" ? [{ code: "guard_unavailable" as const, detail: k.guard.slice(0, 512) }] : []),
    ],
    enforcement: {
      mode: control.state.mode,
      source: control.state.modeSource,
      kernel: active ? "active" : "unavailable",
      interfaces: k.interfaces.slice(0, 64).map((i) => ({ name: i.name.slice(0, 32), attach: i.mode.slice(0, 16) })),
      guard,
      guard_ports: [...k.guardPorts].slice(0, 64),
    },
  };
}

/** Bans, decisions applied and refused by reason, control refusals, kernel counters. */
export function enforcerMetrics(k: KernelState, bans: BanStore, applier: DecisionApplier, control: ControlApplier, batcher: DecisionBatcher, reconciled?: ReconcileReport, fastPath?: { recorder: KernelBanRecorder; sweep: KernelBanSweep }): OwnMetrics<"enforcerd"> {
  return {
    active_bans: bans.count(),
    allowlist_entries: bans.allowEntries().length,
    decisions: {
      applied: applier.applied.pick(DECISION_APPLIED),
      rejected: applier.rejected.pick(DECISION_REJECTS),
      queue: batcher.depth,
      batches: batcher.batches,
      dropped_overload: batcher.dropped,
    },
    control_rejected: control.rejected.pick(CONTROL_REJECTS),
    ...(k.kernel ? optionalKernel(() => k.kernel!.counters()) : {}),
    ...(k.kernel && k.guard === "on" ? optionalGuard(() => k.kernel!.guardCounters()) : {}),
    ...(reconciled
      ? { reconcile: { store: reconciled.store, kernel_before: reconciled.kernelBefore, written: reconciled.written, removed: reconciled.removed, rejected: reconciled.rejected, ms: reconciled.ms, read_store_ms: reconciled.readStoreMs, read_kernel_ms: reconciled.readKernelMs } }
      : {}),
    ...(fastPath ? { fast_path: { ...fastPath.recorder.counts.pick(["recorded", "refused", "lifted", "failed"] as const), sweeps: fastPath.sweep.swept, adopted: fastPath.sweep.adopted } } : {}),
  };
}

/** Unreadable counters leave `kernel` out rather than failing the whole report. */
function optionalKernel(read: () => KernelCounters): { kernel?: KernelMetrics } {
  try {
    return { kernel: kernelMetrics(read()) };
  } catch {
    return {};
  }
}

function optionalGuard(read: () => GuardCounters): { guard?: OwnMetrics<"enforcerd">["guard"] } {
  try {
    const c = read();
    return { guard: { established: Number(c.established), allowed: Number(c.allowed), reports: Number(c.reports), ringbuf_full: Number(c.ringbufFull) } };
  } catch {
    return {};
  }
}

export function kernelMetrics(c: KernelCounters): KernelMetrics {
  const by = (r: Record<ReasonName, bigint>) => Object.fromEntries(KERNEL_REASONS.map((n) => [n, Number(r[n])])) as KernelMetrics["dropped_by_reason"];
  return {
    passed: Number(c.passed),
    dropped: Number(c.dropped),
    would_drop: Number(c.wouldDrop),
    lockdown_dropped: Number(c.lockdownDropped),
    allowlist_passed: Number(c.allowlistPassed),
    syn_seen: Number(c.synSeen),
    unparsed_passed: Number(c.unparsedPassed),
    scan_events: Number(c.scanEvents),
    ringbuf_full: Number(c.ringbufFull),
    expired_passed: Number(c.expiredPassed),
    v4_frag_evasion: Number(c.v4FragEvasion),
    v6_l4_hidden: Number(c.v6L4Hidden),
    vlan_deep: Number(c.vlanDeep),
    dropped_by_reason: by(c.droppedByReason),
    would_drop_by_reason: by(c.wouldDropByReason),
  };
}
