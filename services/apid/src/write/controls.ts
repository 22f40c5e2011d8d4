import { canonicalAddress } from "@honeymesh/ban/address";
import type { AllowSource } from "@honeymesh/ban/allowlist";
import type { BusClient } from "@honeymesh/bus/client";
import type { Mode } from "@honeymesh/schema/control";
import { newWriteId } from "@honeymesh/schema/decision";
import type { HealthBoard } from "../live/health-board.ts";
import type { ResultWaiter } from "../live/result-waiter.ts";
import type { BanReader } from "../read/ban-reader.ts";
import { outcomeOf, type WriteOutcome } from "./write-outcome.ts";

export interface ControlDeps {
  bus: BusClient;
  results: ResultWaiter;
  reader: BanReader;
  board: HealthBoard;
  /** Entries enforcerd always allows, with where they come from. */
  fixedAllow: readonly { address: string; source: AllowSource }[];
  timeoutMs: number;
}

/**
 * Allowlist and mode changes, published to enforcerd (`hm/v1/apid/allow`, `hm/v1/apid/mode`) with
 * an id, and answered with enforcerd's typed result for that id.
 */
export class Controls {
  /** The last switch enforcerd confirmed; newer health (e.g. after an enforcerd restart) wins. */
  private applied: { mode: Mode; source: "operator"; at: number } | undefined;

  constructor(private readonly d: ControlDeps) {}

  listAllow(): { address: string; source: AllowSource; note: string; created_at: number | null }[] {
    const fixed = this.d.fixedAllow.map((e) => ({ ...e, note: "", created_at: null }));
    const seen = new Set(fixed.map((e) => e.address));
    const operator = this.d.reader.allowEntries().filter((e) => !seen.has(e.address) && (seen.add(e.address), true)).map((e) => ({ ...e, source: "operator" as const }));
    // The protected set: kept by enforcerd, blocks automatic decisions only (DESIGN §3).
    const kept = this.d.reader.protectedEntries().filter((e) => !seen.has(e.address) && (seen.add(e.address), true)).map((e) => ({ ...e, note: e.source === "session" ? "live session: never banned on unverified evidence" : "protected: never touched by automatic decisions" }));
    return [...fixed, ...operator, ...kept];
  }

  async addAllow(address: string, note: string): Promise<WriteOutcome> {
    return this.allow("add", address, note);
  }

  async removeAllow(address: string): Promise<WriteOutcome> {
    return this.allow("remove", address, "");
  }

  private async allow(action: "add" | "remove", address: string, note: string): Promise<WriteOutcome> {
    const c = canonicalAddress(address);
    if (!c.ok) return { kind: "refused", status: 400, field: "address", detail: c.reason };
    const id = newWriteId("apid");
    const answer = this.d.results.wait(id, this.d.timeoutMs);
    await this.d.bus.publish("allow", { id, action, address: c.address, note, at: Date.now() });
    return outcomeOf(await answer, () => ({ outcome: "pending", address: c.address, detail: `enforcerd has not answered within ${this.d.timeoutMs} ms` }), action === "add");
  }

  /** The mode in force: the operator's last applied switch, else what enforcerd's health says. */
  mode(): { mode: string | null; source: string | null } {
    const seen = this.d.board.get("enforcerd");
    if (this.applied && (!seen || seen.receivedAt <= this.applied.at)) return { mode: this.applied.mode, source: this.applied.source };
    const e = this.d.board.enforcement();
    return { mode: e?.mode ?? null, source: e?.source ?? null };
  }

  async setMode(mode: Mode): Promise<WriteOutcome> {
    const id = newWriteId("apid");
    const answer = this.d.results.wait(id, this.d.timeoutMs);
    await this.d.bus.publish("mode", { id, mode, at: Date.now() });
    const r = await answer;
    if (r?.outcome === "applied" && r.mode) this.applied = { mode: r.mode, source: "operator", at: Date.now() };
    return outcomeOf(r, () => ({ outcome: "pending", mode, detail: `enforcerd has not answered within ${this.d.timeoutMs} ms` }));
  }
}
