import { Counters } from "@honeymesh/bus/counters";
import type { AllowChange, ModeChange } from "@honeymesh/schema/control";
import type { Logger } from "@honeymesh/telemetry/logger";
import type { AllowSet } from "@honeymesh/net/allow-set";
import { formatTarget, parseTarget } from "@honeymesh/net/address";
import type { KernelPort } from "../kernel-port.ts";
import type { BanStore } from "../store/ban-store.ts";

export type ControlReject = "bad_allow" | "allow_protected" | "allow_absent";

export interface ControlState {
  mode: ModeChange["mode"];
  modeSource: "config" | "operator";
}

/**
 * Operator controls that enforcerd owns: allowlist entries (stored, then mirrored into the
 * kernel) and the enforcement mode (one map write, no reload). Entries that come from the
 * system (loopback, own addresses, gateway) or from the config file cannot be removed here:
 * removing them would be the way to lock the operator out.
 */
export class ControlApplier {
  readonly rejected = new Counters<ControlReject>();

  constructor(
    private readonly store: BanStore,
    private readonly allow: AllowSet,
    private readonly protectedEntries: ReadonlySet<string>,
    private readonly kernel: () => KernelPort | undefined,
    readonly state: ControlState,
    private readonly logger: Logger,
  ) {}

  allowChange(c: AllowChange): void {
    const t = parseTarget(c.cidr);
    if (!t.ok) return this.refuse("bad_allow", c.cidr, t.reason);
    const cidr = formatTarget(t.value);
    if (c.action === "add") {
      this.store.allowPut(cidr, c.note, c.at);
      this.allow.add([cidr]);
      this.kernel()?.allowAdd([cidr]);
      this.logger.info("allowlist entry added", { cidr });
      return;
    }
    if (this.protectedEntries.has(cidr)) return this.refuse("allow_protected", cidr, "system or configured entries are removed in the config file, not at run time");
    if (!this.store.allowDelete(cidr)) return this.refuse("allow_absent", cidr, "no such operator entry");
    this.allow.remove(cidr);
    this.kernel()?.allowRemove([cidr]);
    this.logger.info("allowlist entry removed", { cidr });
  }

  modeChange(m: ModeChange): void {
    this.kernel()?.setMode(m.mode);
    this.state.mode = m.mode;
    this.state.modeSource = "operator";
    this.logger.warn("enforcement mode switched by the operator", { mode: m.mode });
  }

  private refuse(reason: ControlReject, cidr: string, detail: string): void {
    this.rejected.inc(reason);
    this.logger.warn("allowlist change refused", { reason, cidr: cidr.slice(0, 64), detail });
  }
}
