import { join } from "node:path";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import type { Logger } from "@honeymesh/telemetry/logger";
import { defaultRouteInterface } from "@honeymesh/net/system-allow";
import type { AllowSet } from "@honeymesh/ban/allowlist";
import { ownNetnsIno } from "./kernel/guard.ts";
import { KernelEnforcer } from "./kernel/kernel-enforcer.ts";

export interface KernelState {
  kernel: KernelEnforcer | undefined;
  /** "active" or "unavailable: <exact reason>" for health and status. */
  enforcement: string;
  /** The connection guard: "off" (no ports), "on", or "unavailable: <exact reason>". */
  guard: string;
  guardPorts: readonly number[];
  interfaces: { name: string; mode: string }[];
  detach(): void;
}

/**
 * In enforce or lockdown mode a node that cannot drop packets must not look healthy: the
 * service exits non-zero so that systemd / compose / `honeymesh up` report and retry it. In
 * test mode nothing is dropped anyway, so it runs on and says why loudly.
 */
export function enforcementFailure(mode: FrozenConfig["enforcer"]["mode"], state: Pick<KernelState, "kernel" | "interfaces" | "enforcement">): string | undefined {
  if (mode === "test") return undefined;
  if (state.kernel && state.interfaces.length > 0) return undefined;
  return `enforcer mode is ${mode} but kernel enforcement is ${state.enforcement}`;
}

/**
 * Loads the XDP program (reusing pinned maps), applies mode, scan settings and the allowlist,
 * attaches to the configured interfaces. Without BPF it reports why and the service runs on.
 */
export function setUpKernel(config: FrozenConfig, allow: AllowSet, logger: Logger): KernelState {
  const objectPath = config.enforcer.bpf_object || join(SOURCE_ROOT, "bpf", "build", "honeymesh.bpf.o");
  const opened = KernelEnforcer.open({ objectPath, pinRoot: config.enforcer.pin_root, guard: config.guard.ports.length > 0 });
  if (!opened.ok) {
    logger.warn("kernel enforcement unavailable; decisions are still recorded", { reason: opened.reason });
    return { kernel: undefined, enforcement: `unavailable: ${opened.reason}`, guard: config.guard.ports.length ? `unavailable: ${opened.reason}` : "off", guardPorts: config.guard.ports, interfaces: [], detach() {} };
  }
  const kernel = opened.value;
  kernel.setMode(config.enforcer.mode);
  kernel.setScan(config.scan.ports_threshold, config.scan.window_s);
  kernel.setFastPath(fastPathEnabled(config), config.scan.unverified_ttl_s);
  syncAllowlist(kernel, allow);
  const g = kernel.setGuard({ ports: config.guard.ports, maxNew: config.guard.max_new_per_min, windowS: 60, netnsIno: ownNetnsIno() });
  const guard = g.ok ? g.value : `unavailable: ${g.reason}`;
  if (!g.ok) logger.error("connection guard unavailable", { reason: g.reason });
  const names = config.enforcer.interfaces.length > 0 ? [...config.enforcer.interfaces] : [defaultRouteInterface()].filter((n): n is string => Boolean(n));
  const interfaces: KernelState["interfaces"] = [];
  const problems: string[] = [];
  for (const name of names) {
    const r = kernel.attach(name, config.enforcer.xdp_mode);
    if (r.ok) interfaces.push({ name, mode: r.value.mode });
    else problems.push(r.reason);
  }
  if (names.length === 0) problems.push("no interface configured and no default route found");
  for (const p of problems) logger.error("XDP attach failed", { reason: p });
  logger.info("kernel enforcement ready", { mode: config.enforcer.mode, interfaces, pin_root: config.enforcer.pin_root, fast_path: fastPathEnabled(config), guard, guard_ports: config.guard.ports });
  return {
    kernel,
    enforcement: interfaces.length > 0 ? "active" : `unavailable: ${problems.join("; ")}`,
    guard,
    guardPorts: config.guard.ports,
    interfaces,
    detach() {
      for (const i of interfaces) kernel.detach(i.name);
    },
  };
}

/**
 * The kernel fast path bans on SYN-only evidence, so it is on only when unverified evidence may
 * ban at all: `[scan] syn_only = "observe"` turns it off whatever `[enforcer] fast_path` says.
 * (The kernel itself also requires enforce mode.)
 */
export function fastPathEnabled(config: FrozenConfig): boolean {
  return config.enforcer.fast_path && config.scan.syn_only !== "observe";
}

/** Kernel allowlist := the service's allow set (adds missing, removes stale). */
export function syncAllowlist(kernel: Pick<KernelEnforcer, "allowAdd" | "allowRemove" | "allowList">, allow: AllowSet): void {
  const want = new Set(allow.list().map((e) => e.text));
  const have = kernel.allowList();
  const stale = have.filter((c) => !want.has(c));
  if (stale.length) kernel.allowRemove(stale);
  kernel.allowAdd([...want]);
}
