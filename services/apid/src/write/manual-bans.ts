import { canonicalAddress, type BanAddress } from "@honeymesh/ban/address";
import type { Evidence } from "@honeymesh/ban/evidence";
import { isLive } from "@honeymesh/ban/liveness";
import type { BusClient } from "@honeymesh/bus/client";
import { newWriteId, type Decision } from "@honeymesh/schema/decision";
import type { HealthBoard } from "../live/health-board.ts";
import type { ResultWaiter } from "../live/result-waiter.ts";
import type { BanReader } from "../read/ban-reader.ts";
import { outcomeOf, type WriteOutcome } from "./write-outcome.ts";

export interface ManualDeps {
  bus: BusClient;
  nodeId: string;
  results: ResultWaiter;
  reader: BanReader;
  board: HealthBoard;
  timeoutMs: number;
}

/**
 * Operator bans and unbans: the address checked here (a 400 that names the field), published as
 * a decision with an id on `hm/v1/apid/decision`, and answered with enforcerd's typed result for
 * that id (added, extended, unchanged, kept, removed, or refused with its code), waited for at
 * most `timeoutMs`; no answer in time is a 202 that says why.
 */
export class ManualBans {
  constructor(private readonly d: ManualDeps) {}

  async ban(input: { address: string; ttlS: number; reasons: number; evidence: Evidence[] }, mode: "ban" | "extend" = "ban"): Promise<WriteOutcome> {
    const c = canonicalAddress(input.address);
    if (!c.ok) return { kind: "refused", status: 400, field: "address", detail: c.reason };
    const now = Date.now();
    if (mode === "extend") {
      // Extending is the operator saying "longer": refuse what would not lengthen the ban.
      const live = this.d.reader.get(c.address.text);
      if (!live || !isLive(live.expires_at, now)) return { kind: "refused", status: 404, detail: `${c.address.text} is not banned` };
      const wanted = input.ttlS === 0 ? 0 : now + input.ttlS * 1000;
      if (live.expires_at === 0 || (wanted !== 0 && wanted <= live.expires_at))
        return { kind: "refused", status: 409, detail: `${c.address.text} already expires ${live.expires_at === 0 ? "never" : `later (${new Date(live.expires_at).toISOString()})`}; a ban can only be extended: unban and ban again to shorten it` };
    }
    const decision: Decision = { id: newWriteId("apid"), action: "ban", address: c.address, reasons: input.reasons, ttl_s: input.ttlS, origin: this.d.nodeId, source: "apid", evidence: input.evidence, offence: 0, at: now };
    return this.send(decision, true);
  }

  /** reasons 0: a full unban (tombstoned); otherwise only those reasons are lifted (`kept` when others remain). */
  async unban(address: string, scope: "global" | "local", reasons: number, evidence: Evidence[]): Promise<WriteOutcome> {
    const c = canonicalAddress(address);
    if (!c.ok) return { kind: "refused", status: 400, field: "address", detail: c.reason };
    const decision: Decision = { id: newWriteId("apid"), action: "unban", address: c.address, reasons, ttl_s: 0, origin: this.d.nodeId, source: "apid", evidence, offence: 0, at: Date.now(), scope };
    return this.send(decision, false);
  }

  private async send(decision: Decision, created: boolean): Promise<WriteOutcome> {
    const answer = this.d.results.wait(decision.id, this.d.timeoutMs);
    await this.d.bus.publish("decision", decision);
    return outcomeOf(await answer, () => this.pending(decision.address), created);
  }

  private pending(address: BanAddress) {
    const up = this.d.board.up("enforcerd");
    return {
      outcome: "pending",
      address,
      detail: up ? `enforcerd has not answered within ${this.d.timeoutMs} ms; the decision is queued` : "enforcerd is not running; the decision is queued on the bus and applies when it starts",
    };
  }
}
