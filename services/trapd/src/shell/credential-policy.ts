import type { FrozenConfig } from "@honeymesh/config/schema";

/**
 * Which logins open the fake shell. A listed pair (password `*` = any) is accepted; everything
 * else is refused. Per source the outcome is remembered (bounded LRU), so a credential that worked
 * once keeps working and one that failed keeps failing even if the list changes meanwhile: a login
 * that flips is a trap's tell. Every attempt is recorded by the caller either way.
 */
export class CredentialPolicy {
  private readonly exact = new Set<string>();
  private readonly anyPassword = new Set<string>();
  private readonly seen = new Map<string, Map<string, boolean>>();
  private static readonly PER_SOURCE = 64;

  constructor(
    accept: readonly string[],
    private readonly rememberSources: number,
    readonly enabled = true,
  ) {
    for (const pair of accept) {
      const i = pair.indexOf(":");
      if (i <= 0) continue;
      const user = pair.slice(0, i);
      const pass = pair.slice(i + 1);
      if (pass === "*") this.anyPassword.add(user);
      else this.exact.add(`${user}\0${pass}`);
    }
  }

  static from(cfg: FrozenConfig["traps"]): CredentialPolicy {
    return new CredentialPolicy(cfg.credentials.accept, cfg.credentials.remember_sources, cfg.shell.enabled);
  }

  /** Whether `src` logging in as user with password opens a session. */
  check(src: string, user: string, password: string): boolean {
    if (!this.enabled) return false;
    const key = `${user}\0${password}`;
    let mine = this.seen.get(src);
    const known = mine?.get(key);
    if (known !== undefined) {
      // Refresh the source's place in the LRU.
      this.seen.delete(src);
      this.seen.set(src, mine!);
      return known;
    }
    const ok = this.exact.has(key) || this.anyPassword.has(user);
    if (this.rememberSources === 0) return ok;
    if (!mine) {
      mine = new Map();
      if (this.seen.size >= this.rememberSources) this.seen.delete(this.seen.keys().next().value!);
    } else this.seen.delete(src);
    this.seen.set(src, mine);
    if (mine.size >= CredentialPolicy.PER_SOURCE) mine.delete(mine.keys().next().value!);
    mine.set(key, ok);
    return ok;
  }

  get remembered(): number {
    return this.seen.size;
  }
}
