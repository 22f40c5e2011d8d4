import { eq } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import { tokens } from "@honeymesh/tables/apid";

export type TokenRow = typeof tokens.$inferSelect;
export type Scope = "read" | "write" | "admin";
export type TokenScope = TokenRow["scope"];

/** Operators make tokens by hand; a cap keeps the in-memory index bounded all the same. */
export const MAX_TOKENS = 10_000;

/**
 * apid.sqlite's tokens, mirrored in memory so that checking a request never touches the disk:
 * live ids for bearer tokens, secret hashes for bouncer keys.
 */
export class TokenStore {
  private readonly byId = new Map<string, TokenRow>();
  private readonly byHash = new Map<string, TokenRow>();

  constructor(private readonly store: Store<{ tokens: typeof tokens }>) {
    for (const row of store.db.select().from(tokens).all()) this.index(row);
  }

  private index(row: TokenRow): void {
    this.byId.set(row.id, row);
    if (row.kind === "bouncer" && row.revokedAt === 0) this.byHash.set(row.secretHash, row);
  }

  insert(row: TokenRow): boolean {
    if (this.byId.size >= MAX_TOKENS) return false;
    this.store.db.insert(tokens).values(row).run();
    this.index(row);
    return true;
  }

  revoke(id: string, now = Date.now()): TokenRow | undefined {
    const row = this.byId.get(id);
    if (!row) return undefined;
    if (row.revokedAt === 0) {
      this.store.db.update(tokens).set({ revokedAt: now }).where(eq(tokens.id, id)).run();
      row.revokedAt = now;
      this.byHash.delete(row.secretHash);
    }
    return row;
  }

  /** A live token or key: present, not revoked, not expired. */
  live(id: string, now = Date.now()): TokenRow | undefined {
    const row = this.byId.get(id);
    return row && row.revokedAt === 0 && (row.expiresAt === 0 || row.expiresAt > now) ? row : undefined;
  }

  byBouncerHash(hash: string, now = Date.now()): TokenRow | undefined {
    const row = this.byHash.get(hash);
    return row && this.live(row.id, now) ? row : undefined;
  }

  list(): TokenRow[] {
    return [...this.byId.values()].sort((a, b) => a.createdAt - b.createdAt);
  }
}
