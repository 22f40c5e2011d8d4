import { peerCount, peerList, type PeerRow } from "@honeymesh/tables/meshd-queries";
import { indicatorList, sessionById, sessionCounts, sessionsPage, type IndicatorRow, type SessionFilter, type StoredSession } from "@honeymesh/tables/trapd-queries";
import type { OwnerDb } from "./owner-db.ts";

/**
 * trapd's sessions through trapd's own query module (packages/tables/src/trapd-queries.ts); a
 * missing file or table reads as empty (trapd has not written yet).
 */
export class SessionReader {
  constructor(private readonly db: OwnerDb) {}

  page(f: SessionFilter, limit: number): StoredSession[] {
    return this.db.read((db) => sessionsPage(db, f, limit), []);
  }

  byId(id: string): StoredSession | undefined {
    return this.db.read((db) => sessionById(db, id), undefined);
  }

  /** URLs, hosts, SSH keys and file hashes of the newest interactive sessions. */
  indicators(scan: number, since?: number): IndicatorRow[] {
    return this.db.read((db) => indicatorList(db, scan, since), []);
  }

  /** Stored sessions, in all and per trap. */
  count(_by: "service" = "service"): { total: number; groups: Record<string, number> } {
    return this.db.read((db) => {
      const c = sessionCounts(db);
      return { total: c.total, groups: c.byService };
    }, { total: 0, groups: {} });
  }
}

/** meshd's peers through meshd's query module (packages/tables/src/meshd-queries.ts). */
export class PeerReader {
  constructor(private readonly db: OwnerDb) {}

  list(limit = 1000): PeerRow[] {
    return this.db.read((db) => peerList(db, limit), []);
  }

  count(): number {
    return this.db.read((db) => peerCount(db), 0);
  }
}
