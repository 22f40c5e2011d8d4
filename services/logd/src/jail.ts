import type { Filter } from "@honeymesh/f2b-filter/filter";
import type { FailureRow } from "./logd-store.ts";

/** One jail as configured (`[jails.<name>]`, Fail2Ban's option names). */
export interface JailSpec {
  name: string;
  maxretry: number;
  findtime_s: number;
  bantime_s: number;
  /** addresses/prefixes never counted (Fail2Ban's ignoreip). */
  ignore: (address: string) => boolean;
}

/** What a jail says when an address reached maxretry failures within findtime. */
export interface JailFired {
  jail: string;
  address: string;
  count: number;
  window_s: number;
  bantime_s: number;
  first_at: number;
  last_at: number;
  users: string[];
  summary: string;
}

/**
 * A jail: its filter, and per address the failure times inside findtime. The windows are a
 * mirror of logd's `failures` table (rebuilt from it at start), so counting survives restarts.
 */
export class Jail {
  // per address: failure times, and up to five user names where the filter names one. Bounded:
  // a flood of distinct addresses evicts the oldest tracked one (counted), never grows memory.
  private readonly windows = new Map<string, number[]>();
  private readonly users = new Map<string, string[]>();
  failures = 0;
  evicted = 0;
  /** lines older than findtime met while catching up on a file logd had not read before. */
  stale = 0;
  fired = 0;
  ignored = 0;
  lastMatch = 0;

  constructor(
    readonly spec: JailSpec,
    readonly filter: Filter,
    private readonly maxTracked = 100_000,
  ) {}

  restore(rows: readonly FailureRow[], now: number): void {
    for (const r of rows) if (r.jail === this.spec.name && r.at >= now - this.spec.findtime_s * 1000) this.window(r.address).push(r.at);
  }

  private window(address: string): number[] {
    let w = this.windows.get(address);
    if (!w) {
      if (this.windows.size >= this.maxTracked) {
        const oldest = this.windows.keys().next().value as string;
        this.windows.delete(oldest);
        this.users.delete(oldest);
        this.evicted++;
      }
      w = [];
      this.windows.set(address, w);
    }
    return w;
  }

  /**
   * One line. Returns the failure to persist (or null) and, when the address reached maxretry
   * within findtime, what fired. Lines whose time is unknown count as "now".
   */
  line(text: string, now: number, time?: number, catchingUp = false): { failure: FailureRow | null; fired: JailFired | null } {
    const v = this.filter.processLine(text, time === undefined ? { now } : { time, now });
    if (v.kind !== "failure" || v.address === null) return { failure: null, fired: null };
    if (this.spec.ignore(v.address)) {
      this.ignored++;
      return { failure: null, fired: null };
    }
    // As Fail2Ban (server/filter.py processLine): while catching up on an old file, failures older
    // than findtime are history, not attacks; in operation a log time far from now (a timezone or
    // latency problem) counts as now.
    if (catchingUp && v.time !== null && v.time < now - this.spec.findtime_s * 1000) {
      this.stale++;
      return { failure: null, fired: null };
    }
    const at = v.time !== null && Math.abs(v.time - now) <= 60_000 ? v.time : now;
    this.failures++;
    this.lastMatch = now;
    let w = this.window(v.address);
    const from = at - this.spec.findtime_s * 1000;
    if (w.length && w[0]! <= from) {
      w = w.filter((t) => t > from);
      this.windows.set(v.address, w);
      if (w.length === 0) this.users.delete(v.address); // a fresh window names only its own users
    }
    w.push(at);
    const user = v.groups.user?.slice(0, 64);
    if (user) {
      const u = this.users.get(v.address) ?? [];
      if (u.length < 5 && !u.includes(user)) u.push(user);
      this.users.set(v.address, u);
    }
    const failure = { jail: this.spec.name, address: v.address, at };
    if (w.length < this.spec.maxretry) return { failure, fired: null };
    const first = Math.min(...w);
    const count = w.length;
    const users = this.users.get(v.address) ?? [];
    this.windows.delete(v.address);
    this.users.delete(v.address);
    this.fired++;
    const secs = Math.max(0, Math.round((at - first) / 1000));
    const who = users.length ? ` for ${users.join(", ")}` : "";
    return {
      failure,
      fired: {
        jail: this.spec.name,
        address: v.address,
        count,
        window_s: this.spec.findtime_s,
        bantime_s: this.spec.bantime_s,
        first_at: first,
        last_at: at,
        users,
        summary: `${this.spec.name}: ${count} failures${who} in ${secs} s`,
      },
    };
  }

  /** Drops windows that ran out (memory bound between lines). */
  sweep(now: number): void {
    const from = now - this.spec.findtime_s * 1000;
    for (const [a, w] of this.windows) {
      const keep = w.filter((t) => t > from);
      if (keep.length === 0) {
        this.windows.delete(a);
        this.users.delete(a);
      } else if (keep.length !== w.length) this.windows.set(a, keep);
    }
  }

  tracked(): number {
    return this.windows.size;
  }
}
