import { eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import { facts, peers } from "@honeymesh/tables/meshd";
import type { Entry, FactSink } from "../facts/fact-set.ts";

export type StoreSchema = { peers: typeof peers; facts: typeof facts };

/**
 * One upsert statement, prepared once: every column a named placeholder, a conflict on `key`
 * takes the new row (SQLite's `excluded`). Building and preparing the query per row cost more
 * than the write itself on the mesh's hot path (bench/mesh profile: ~14 % of meshd's CPU).
 */
function upsertAll<T extends typeof peers | typeof facts>(store: Store<StoreSchema>, table: T, key: string) {
  const cols = getTableColumns(table) as Record<string, { name: string }>;
  const values: Record<string, unknown> = {};
  const set: Record<string, SQL> = {};
  for (const [prop, col] of Object.entries(cols)) {
    values[prop] = sql.placeholder(prop);
    if (prop !== key) set[prop] = sql.raw(`excluded."${col.name}"`);
  }
  return store.db
    .insert(table)
    .values(values as never)
    .onConflictDoUpdate({ target: (table as unknown as Record<string, never>)[key]!, set: set as never })
    .prepare();
}
export type PeerCounter = "msgsIn" | "msgsOut" | "rejected" | "rateLimited" | "penalties";

interface PeerState {
  peerId: string;
  cluster: string;
  nodeId: string | null;
  trust: string;
  address: string | null;
  connected: boolean;
  firstSeen: number;
  lastSeen: number;
  msgsIn: number;
  msgsOut: number;
  rejected: number;
  rateLimited: number;
  penalties: number;
  score: number;
  lastReject: string | null;
}

/**
 * Per-peer state and counters, kept in memory on the hot path and written to meshd.sqlite
 * by `flush()` (every few seconds), so a flood costs map updates, not disk writes.
 * Bounded: at most `max` peers; the longest-unseen disconnected one is forgotten first.
 */
export class PeerBook {
  private readonly state = new Map<string, PeerState>();
  private readonly dirty = new Set<string>();
  private readonly upsert: ReturnType<typeof upsertAll>;

  constructor(
    private readonly store: Store<StoreSchema>,
    private readonly max = 4096,
  ) {
    for (const row of store.db.select().from(peers).all()) this.state.set(row.peerId, { ...row, connected: false });
    store.db.update(peers).set({ connected: false }).run();
    this.upsert = upsertAll(store, peers, "peerId");
  }

  private get(peerId: string, cluster: string): PeerState {
    let p = this.state.get(peerId);
    if (!p) {
      if (this.state.size >= this.max) this.evict();
      const now = Date.now();
      p = { peerId, cluster, nodeId: null, trust: "observe", address: null, connected: false, firstSeen: now, lastSeen: now, msgsIn: 0, msgsOut: 0, rejected: 0, rateLimited: 0, penalties: 0, score: 0, lastReject: null };
      this.state.set(peerId, p);
    }
    this.dirty.add(peerId);
    return p;
  }

  private evict(): void {
    let victim: PeerState | undefined;
    for (const p of this.state.values()) if (!p.connected && (!victim || p.lastSeen < victim.lastSeen)) victim = p;
    if (!victim) return;
    this.state.delete(victim.peerId);
    this.dirty.delete(victim.peerId);
    this.store.db.delete(peers).where(eq(peers.peerId, victim.peerId)).run();
  }

  seen(peerId: string, cluster: string, patch: Partial<Pick<PeerState, "connected" | "address" | "trust">> = {}): void {
    const p = this.get(peerId, cluster);
    Object.assign(p, patch);
    p.lastSeen = Date.now();
  }

  count(peerId: string, cluster: string, counter: PeerCounter, reason?: string): void {
    const p = this.get(peerId, cluster);
    p[counter]++;
    if (reason) p.lastReject = reason;
    if (counter === "msgsIn") p.lastSeen = Date.now();
  }

  /** The node id a peer signs as: the first one seen is kept, a different one later is refused. */
  bindNode(peerId: string, cluster: string, nodeId: string): boolean {
    const p = this.get(peerId, cluster);
    if (p.nodeId === null) p.nodeId = nodeId;
    return p.nodeId === nodeId;
  }

  peerOfNode(nodeId: string): string | undefined {
    for (const p of this.state.values()) if (p.nodeId === nodeId) return p.peerId;
    return undefined;
  }

  setScore(peerId: string, score: number): void {
    const p = this.state.get(peerId);
    if (p && p.score !== score) {
      p.score = score;
      this.dirty.add(peerId);
    }
  }

  connected(cluster?: string): number {
    let n = 0;
    for (const p of this.state.values()) if (p.connected && (!cluster || p.cluster === cluster)) n++;
    return n;
  }

  totals(): Record<PeerCounter, number> {
    const t = { msgsIn: 0, msgsOut: 0, rejected: 0, rateLimited: 0, penalties: 0 };
    for (const p of this.state.values()) for (const k of Object.keys(t) as PeerCounter[]) t[k] += p[k];
    return t;
  }

  /** Peers whose score went negative or that were penalized: the ones an operator should look at. */
  misbehaving(): number {
    let n = 0;
    for (const p of this.state.values()) if (p.penalties > 0 || p.score < 0) n++;
    return n;
  }

  flush(): void {
    if (this.dirty.size === 0) return;
    const rows = [...this.dirty].map((id) => this.state.get(id)).filter((p): p is PeerState => p !== undefined);
    this.dirty.clear();
    this.store.db.transaction((tx) => {
      void tx;
      for (const row of rows) this.upsert.run(row as never);
    });
  }
}

/** Persists one cluster's live fact set (write-through; reads happen once, at start). */
export class FactTable implements FactSink {
  private readonly upsert: ReturnType<typeof upsertAll>;

  constructor(
    private readonly store: Store<StoreSchema>,
    private readonly cluster: string,
  ) {
    this.upsert = upsertAll(store, facts, "key");
  }

  put(key: string, e: Entry): void {
    this.upsert.run({ key: `${this.cluster}|${key}`, cluster: this.cluster, value: e.fact.address.text, kind: e.fact.k, originPeer: e.fact.p, at: e.fact.at, keepUntil: e.keepUntil, wire: e.wire } as never);
  }

  /** Runs `fn` in one SQLite transaction: a batch's items are written together. */
  transaction<T>(fn: () => T): T {
    return this.store.db.transaction(() => fn());
  }

  drop(keys: string[]): void {
    const full = keys.map((k) => `${this.cluster}|${k}`);
    this.store.db.transaction((tx) => {
      for (const k of full) tx.delete(facts).where(eq(facts.key, k)).run();
    });
  }

  load(now = Date.now()): string[] {
    return this.store.db
      .select({ wire: facts.wire })
      .from(facts)
      .where(sql`${facts.cluster} = ${this.cluster} AND ${facts.keepUntil} > ${now}`)
      .all()
      .map((r) => r.wire);
  }
}
