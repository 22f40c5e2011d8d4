import { checkAddress, type BanAddress } from "@honeymesh/ban/address";
import { inside, type AllowSet } from "@honeymesh/ban/allowlist";
import { Counters } from "@honeymesh/bus/counters";
import { parseAddress, type ParsedAddress } from "@honeymesh/net/address";
import type { BanChange } from "@honeymesh/schema/ban";
import type { AllowChange, Mode, ModeChange } from "@honeymesh/schema/control";
import type { Refusal, WriteResult } from "@honeymesh/schema/result";
import type { Logger } from "@honeymesh/telemetry/logger";
import { banChange } from "../decisions/ban-views.ts";
import type { KernelPort } from "../kernel-port.ts";
import type { BanRow, BanStore } from "../store/ban-store.ts";
import { isLive } from "@honeymesh/ban/liveness";

export type ControlReject = Extract<Refusal, "bad_address" | "kind_mismatch" | "allow_protected" | "allow_absent">;

export interface ControlState {
  mode: Mode;
  modeSource: "config" | "operator";
}

const MAX_LISTED = 64;

/**
 * Operator controls that enforcerd owns: allowlist entries (stored, then mirrored into the
 * kernel) and the enforcement mode (one map write, no reload). Entries that come from the
 * system (loopback, own addresses, gateway) or from the config file cannot be removed here:
 * removing them would be the way to lock the operator out. Every control gets a typed result.
 */
export class ControlApplier {
  readonly rejected = new Counters<ControlReject>();

  constructor(
    private readonly store: BanStore,
    private readonly allow: AllowSet,
    private readonly kernel: () => KernelPort | undefined,
    readonly state: ControlState,
    private readonly logger: Logger,
    /** Announces bans an allowlist entry ended (as local removals: allowing is this node's policy). */
    private readonly publish: (c: BanChange) => void,
  ) {}

  allowChange(c: AllowChange): WriteResult {
    const at = Date.now();
    const checked = checkAddress(c.address);
    if (!checked.ok) return this.refuse(c.id, checked.code, checked.reason);
    const text = checked.address.text;
    if (c.action === "remove") {
      const source = this.allow.sourceOf(text);
      if (source && source !== "operator") return this.refuse(c.id, "allow_protected", `${text} is a ${source} entry; ${source === "config" ? "remove it from [allow] cidrs in the config file" : "the node keeps it so the operator is never locked out"}`);
      if (!this.store.allowDelete(text)) return this.refuse(c.id, "allow_absent", `${text} is not an operator allowlist entry`);
      this.allow.remove(text);
      this.kernel()?.allowRemove([text]);
      this.logger.info("allowlist entry removed", { address: text });
      return { id: c.id, write: "allow", outcome: "removed", detail: `${text} is no longer allowlisted`, address: checked.address, at };
    }
    this.store.allowPut(text, c.note, c.at);
    this.allow.add([text], "operator");
    this.kernel()?.allowAdd([text]);
    const ended = this.endCovered(checked.address, checked.parsed, at);
    const spared = this.store.activePrefixes(at).filter((r) => {
      const p = parseAddress(r.address);
      return p.ok && inside(checked.parsed, p.value) && r.address !== text;
    });
    this.logger.info("allowlist entry added", { address: text, ended: ended.length });
    const parts = [`allowlisted ${text}`];
    if (ended.length) parts.push(`ended ${ended.length} ban${ended.length === 1 ? "" : "s"} it covered (${ended.slice(0, 5).map((a) => a.text).join(", ")}${ended.length > 5 ? ", …" : ""})`);
    if (spared.length) parts.push(`${spared.map((r) => r.address).slice(0, 5).join(", ")} stay banned; the kernel passes ${text} inside them`);
    return { id: c.id, write: "allow", outcome: "added", detail: parts.join("; "), address: checked.address, ended: ended.slice(0, MAX_LISTED), ended_total: ended.length, at };
  }

  /** Every live ban wholly inside the new entry ends: in the store, the kernel, and on the bus. */
  private endCovered(entry: BanAddress, parsed: ParsedAddress, at: number): BanAddress[] {
    const live = (r: BanRow | undefined): r is BanRow => r !== undefined && isLive(r.expiresAt, at);
    // An address ends at most its own ban; a prefix scans the live bans (an operator action, rare).
    const rows = entry.kind === "ip"
      ? [this.store.get(entry.text)].filter(live)
      : this.store.active(at).filter((r) => {
          const p = parseAddress(r.address);
          return p.ok && inside(p.value, parsed);
        });
    const ended: BanAddress[] = [];
    for (const row of rows) {
      this.store.remove(row.address, at, "allowlist");
      ended.push({ kind: row.kind, text: row.address });
      this.publish({ ...banChange("removed", row, at), scope: "local" });
    }
    if (ended.length) this.kernel()?.removeBans(ended.map((a) => a.text));
    return ended;
  }

  modeChange(m: ModeChange): WriteResult {
    this.kernel()?.setMode(m.mode);
    this.state.mode = m.mode;
    this.state.modeSource = "operator";
    this.logger.warn("enforcement mode switched by the operator", { mode: m.mode });
    const kernel = this.kernel() ? "" : " (recorded; kernel enforcement is unavailable, so nothing is dropped)";
    return { id: m.id, write: "mode", outcome: "applied", mode: m.mode, detail: `enforcement mode is now ${m.mode}${kernel}`, at: Date.now() };
  }

  private refuse(id: string, reason: ControlReject, detail: string): WriteResult {
    this.rejected.inc(reason);
    this.logger.warn("allowlist change refused", { reason, detail });
    return { id, write: "allow", outcome: "refused", refusal: reason, detail, at: Date.now() };
  }
}

