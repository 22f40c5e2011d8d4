import { canonicalAddress } from "@honeymesh/ban/address";
import type { AllowSet } from "@honeymesh/ban/allowlist";
import { evidence as evidenceItem, mergeEvidence, type Evidence } from "@honeymesh/ban/evidence";
import { isLive } from "@honeymesh/ban/liveness";
import { REASONS } from "@honeymesh/ban/reasons";
import { canonicalV4 } from "@honeymesh/feeds/ipv4";
import { formatV4 } from "@honeymesh/feeds/snapshot";
import { unpackV4 } from "@honeymesh/feeds/v4-pack";
import { parseAddress } from "@honeymesh/net/address";
import type { FeedResult, FeedUpdate } from "@honeymesh/schema/feed";
import type { KernelPort } from "../kernel-port.ts";
import type { ProtectedSet } from "../protected/protected-set.ts";
import type { FeedRows } from "./feed-rows.ts";

const EXTERNAL = REASONS.EXTERNAL;
type Counts = Omit<FeedResult, "id" | "feed" | "outcome" | "detail" | "at">;
const zero = (): Counts => ({ added: 0, merged: 0, unchanged: 0, removed: 0, reduced: 0, refused_allowlisted: 0, refused_protected: 0, refused_bad_address: 0, refused_tombstoned: 0, kernel_rejected: 0 });

interface Pending {
  id: string;
  next: number;
  add: string[];
  remove: string[];
}

/**
 * Applies feed updates (DESIGN §3: enforcerd is the only writer of bans). The parts of one update
 * are collected (bounded: `maxPendingEntries` over all feeds) and applied together when the last
 * arrives: one SQLite transaction, then one kernel batch of upserts before the removals, so an
 * address in both the old and the new list is never absent from the maps and none is doubled.
 * The allowlist (system, config, operator entries) wins, and so does the protected set (resolvers,
 * NTP servers, mesh peers: a list is an automatic decision, so it may not cut the node off them;
 * a prefix that holds one is refused whole): such entries are refused and counted.
 */
export class FeedApplier {
  private readonly pending = new Map<string, Pending>();
  private pendingEntries = 0;

  constructor(
    private readonly rows: FeedRows,
    private readonly allow: AllowSet,
    private readonly kernel: () => KernelPort | undefined,
    private readonly protect?: Pick<ProtectedSet, "protects" | "list" | "refresh">,
    private readonly maxPendingEntries = 4_000_000,
  ) {}

  /** One part; a FeedResult when the update is complete (or had to be refused). */
  accept(u: FeedUpdate): FeedResult | undefined {
    let p = this.pending.get(u.feed);
    if (u.part === 0) {
      // A new update replaces an unfinished one of the same feed: its sender gave up on it.
      if (p) this.drop(u.feed);
      p = { id: u.id, next: 0, add: [], remove: [] };
      this.pending.set(u.feed, p);
    }
    if (!p || p.id !== u.id || p.next !== u.part) {
      if (p?.id === u.id) this.drop(u.feed);
      return this.refused(u, `part ${u.part} of update ${u.id} arrived out of order; the update is refused and the previous list stays in force`);
    }
    const addV4 = unpackV4(u.add_v4);
    const removeV4 = unpackV4(u.remove_v4);
    if (!addV4 || !removeV4) {
      this.drop(u.feed);
      return this.refused(u, `part ${u.part} of update ${u.id} carries packed IPv4 addresses that are not whole 32-bit values; the update is refused`);
    }
    const n = u.add.length + u.remove.length + addV4.length + removeV4.length;
    if (this.pendingEntries + n > this.maxPendingEntries) {
      this.drop(u.feed);
      return this.refused(u, `more than ${this.maxPendingEntries} feed entries pending; the update is refused`);
    }
    p.next++;
    for (const v of addV4) p.add.push(formatV4(v));
    for (const a of u.add) p.add.push(a);
    for (const v of removeV4) p.remove.push(formatV4(v));
    for (const a of u.remove) p.remove.push(a);
    this.pendingEntries += n;
    if (!u.last) return undefined;
    this.drop(u.feed);
    return { id: u.id, feed: u.feed, outcome: "applied", detail: "", ...this.apply(u.feed, u.origin, u.at, p.add, p.remove), at: Date.now() };
  }

  private drop(feed: string): void {
    const p = this.pending.get(feed);
    if (!p) return;
    this.pendingEntries -= p.add.length + p.remove.length;
    this.pending.delete(feed);
  }

  private refused(u: FeedUpdate, detail: string): FeedResult {
    return { id: u.id, feed: u.feed, outcome: "refused", detail, ...zero(), at: Date.now() };
  }

  private apply(feed: string, origin: string, at: number, add: string[], remove: string[]): Counts {
    const c = zero();
    const now = Date.now();
    const source = `feed:${feed}`;
    const item: Evidence = evidenceItem("external", `feed ${feed}`);
    const mark = `"feed ${feed}"`;
    const upserts: { address: string; reasons: number; expiresAtMs: number }[] = [];
    const removals: string[] = [];
    const allowedV4 = v4Test(this.allow.list());
    // Sessions protect only from unverified decisions; a list entry is not one (see ProtectedSet).
    this.protect?.refresh();
    const protectedV4 = v4Test((this.protect?.list() ?? []).filter((e) => e.source !== "session"));
    const candidates: string[] = [];
    for (const text of add) {
      const v4 = canonicalV4(text);
      if (v4 >= 0) {
        if (allowedV4(v4)) c.refused_allowlisted++;
        else if (protectedV4(v4)) c.refused_protected++;
        else candidates.push(text);
        continue;
      }
      const canon = canonicalAddress(text);
      if (!canon.ok || canon.address.text !== text) c.refused_bad_address++;
      else if (this.allow.coverer(canon.parsed)) c.refused_allowlisted++;
      else if (this.protect?.protects(canon.parsed, "verified")) c.refused_protected++;
      else candidates.push(text);
    }
    this.rows.inTransaction(() => {
      const tombs = this.rows.tombstones(candidates);
      const rows = this.rows.existing(candidates);
      const fresh: string[] = [];
      for (const text of candidates) {
        const tomb = tombs.get(text);
        if (tomb !== undefined && at <= tomb) {
          c.refused_tombstoned++;
          continue;
        }
        const row = rows.get(text);
        if (!row || !isLive(row.expires_at, now)) {
          fresh.push(text);
          upserts.push({ address: text, reasons: EXTERNAL, expiresAtMs: 0 });
        } else if (row.source === source || ((row.reasons & EXTERNAL) !== 0 && row.evidence.includes(mark))) {
          c.unchanged++;
        } else {
          // Banned for something else already: the feed adds its reason and evidence but not its
          // permanence, so a trap ban does not become forever because a list also names the address.
          const reasons = row.reasons | EXTERNAL;
          this.rows.update(text, reasons, JSON.stringify(mergeEvidence([item], JSON.parse(row.evidence) as Evidence[])), now);
          upserts.push({ address: text, reasons, expiresAtMs: row.expires_at });
          c.merged++;
        }
      }
      this.rows.insertMany(fresh, EXTERNAL, now, origin, source, JSON.stringify([item]));
      c.added = fresh.length;
      const old = this.rows.existing(remove);
      const gone: string[] = [];
      for (const text of remove) {
        const row = old.get(text);
        if (!row || (row.source !== source && !row.evidence.includes(mark))) {
          c.unchanged++;
          continue;
        }
        const rest = row.reasons & ~EXTERNAL;
        if (rest === 0) {
          gone.push(text);
        } else {
          const ev = (JSON.parse(row.evidence) as Evidence[]).filter((e) => e.summary !== item.summary);
          this.rows.update(text, rest, JSON.stringify(ev), now);
          upserts.push({ address: text, reasons: rest, expiresAtMs: row.expires_at });
          c.reduced++;
        }
      }
      this.rows.deleteMany(gone);
      for (const g of gone) removals.push(g);
      c.removed = gone.length;
    });
    // Store first (committed above), then the kernel: upserts before removals. Kernel trouble
    // loses nothing: reconcile rebuilds the maps from the store at the next start.
    const k = this.kernel();
    if (k) {
      for (const write of [() => k.upsertBans(upserts), () => k.removeBans(removals)]) {
        try {
          c.kernel_rejected += write().rejected.length;
        } catch {
          c.kernel_rejected++;
        }
      }
    }
    return c;
  }
}

/** The IPv4 part of a short list of entries (allowlist, protected set) as a fast test on 32-bit values. */
function v4Test(entries: readonly { text: string }[]): (v: number) => boolean {
  const nets: [number, number][] = [];
  for (const e of entries) {
    const p = parseAddress(e.text);
    if (!p.ok || p.value.family !== 4) continue;
    const b = p.value.bytes;
    const shift = 32 - p.value.prefix;
    nets.push([(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) / 2 ** shift, shift]);
  }
  return (v) => {
    for (const [net, shift] of nets) if (Math.floor(v / 2 ** shift) === net) return true;
    return false;
  };
}
