import type { BusClient } from "@honeymesh/bus/client";
import type { ModeChange } from "@honeymesh/schema/control";
import type { HealthBoard } from "../live/health-board.ts";
import type { BanReader } from "../read/ban-reader.ts";
import { canonical, type WriteOutcome } from "./manual-bans.ts";

export interface ControlDeps {
  bus: BusClient;
  reader: BanReader;
  board: HealthBoard;
  fixedAllow: readonly string[];
  timeoutMs: number;
}

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await Bun.sleep(25);
  }
  return cond();
}

/**
 * Allowlist and mode changes, published to enforcerd (`hm/v1/apid/allow`, `hm/v1/apid/mode`).
 * enforcerd publishes no confirmation for these, so the answer comes from its store (allowlist)
 * or its health (mode), watched for at most `timeoutMs`.
 */
export class Controls {
  private readonly fixed: Set<string>;

  constructor(private readonly d: ControlDeps) {
    this.fixed = new Set(d.fixedAllow.map((e) => (canonical(e).ok ? (canonical(e) as { value: string }).value : e)));
  }

  listAllow(): { operator: { cidr: string; note: string; created_at: number }[]; fixed: string[] } {
    return { operator: this.d.reader.allowEntries(), fixed: [...this.fixed] };
  }

  private has(cidr: string): boolean {
    return this.d.reader.allowEntries().some((e) => e.cidr === cidr);
  }

  async addAllow(cidr: string, note: string): Promise<WriteOutcome> {
    const c = canonical(cidr);
    if (!c.ok) return { kind: "refused", status: 400, field: "cidr", detail: c.detail };
    await this.d.bus.publish("allow", { action: "add", cidr: c.value, note, at: Date.now() });
    const seen = await until(() => this.has(c.value), this.d.timeoutMs);
    return seen ? { kind: "done", status: 201, body: { cidr: c.value, note } } : { kind: "pending", body: { status: "pending", cidr: c.value, detail: "enforcerd has not stored the entry yet" } };
  }

  async removeAllow(cidr: string): Promise<WriteOutcome> {
    const c = canonical(cidr);
    if (!c.ok) return { kind: "refused", status: 400, field: "cidr", detail: c.detail };
    if (this.fixed.has(c.value)) return { kind: "refused", status: 409, reason: "allow_protected", detail: `${c.value} comes from the system or the config file; remove it in the config file` };
    if (!this.has(c.value)) return { kind: "refused", status: 404, detail: `${c.value} is not an operator allowlist entry` };
    await this.d.bus.publish("allow", { action: "remove", cidr: c.value, note: "", at: Date.now() });
    const gone = await until(() => !this.has(c.value), this.d.timeoutMs);
    return gone ? { kind: "done", status: 200, body: { cidr: c.value, removed: true } } : { kind: "pending", body: { status: "pending", cidr: c.value } };
  }

  mode(): { mode: string | null; source: string | null } {
    const e = this.d.board.enforcement();
    return { mode: e?.mode ?? null, source: e?.source ?? null };
  }

  async setMode(mode: ModeChange["mode"]): Promise<WriteOutcome> {
    await this.d.bus.publish("mode", { mode, at: Date.now() });
    const seen = await until(() => this.mode().mode === mode, this.d.timeoutMs);
    return seen ? { kind: "done", status: 200, body: this.mode() } : { kind: "pending", body: { status: "pending", mode, detail: "enforcerd's health does not show the new mode yet" } };
  }
}
