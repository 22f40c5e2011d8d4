import type { FrozenConfig } from "@honeymesh/config/schema";
import { prefixOf } from "./prefix.ts";

/** Why a connection was refused outright (never recorded, only counted). */
export type AdmissionDrop = "max_concurrent" | "max_concurrent_per_source" | "max_concurrent_per_prefix" | "no_peer_address";
/**
 * Why a session was cut (recorded with this end_reason, and counted). `evicted`: closed, the
 * oldest idle of the heaviest holder, to give a source with fewer sessions a slot at the global cap.
 */
export type CutReason = "idle_timeout" | "total_timeout" | "byte_cap" | "line_cap" | "write_backlog" | "evicted";
/** Why a finished session could not be stored or published (counted). */
export type BacklogDrop = "publish_backlog" | "store_backlog";
export type LimitName = AdmissionDrop | CutReason | BacklogDrop;
export type EndReason = CutReason | "closed" | "error" | "shutdown";

export interface TrapLimits {
  maxConcurrent: number;
  maxPerSource: number;
  maxPerPrefix: number;
  idleMs: number;
  totalMs: number;
  maxBytesIn: number;
  maxLine: number;
  sampleBytes: number;
  authDelayMs: number;
}

export function limitsFrom(cfg: FrozenConfig["traps"]): TrapLimits {
  return {
    maxConcurrent: cfg.max_concurrent,
    maxPerSource: cfg.max_concurrent_per_source,
    maxPerPrefix: cfg.max_concurrent_per_prefix,
    idleMs: cfg.idle_timeout_s * 1000,
    totalMs: cfg.session_timeout_s * 1000,
    maxBytesIn: cfg.max_bytes_in,
    maxLine: cfg.max_line_bytes,
    sampleBytes: cfg.payload_sample_bytes,
    authDelayMs: cfg.auth_delay_ms,
  };
}

interface PrefixLoad {
  n: number;
  sources: Map<string, number>;
}

/**
 * Concurrent-session admission: a global cap, a per-source cap and a per-prefix cap (/24, /64:
 * prefix.ts), so a few sources, or one network's many addresses, cannot hold every slot. The maps
 * only hold sources with a live session, so they are bounded by the global cap.
 *
 * At the global cap a newcomer is not simply refused: `victim` names the source to make room
 * from (the heaviest source of the heaviest prefix), as long as the newcomer's prefix holds fewer
 * sessions than that one; the caller closes that source's oldest idle session and enters again.
 */
export class Admission {
  private readonly prefixes = new Map<string, PrefixLoad>();
  private live = 0;

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerSource: number,
    private readonly maxPerPrefix = maxTotal,
  ) {}

  get active(): number {
    return this.live;
  }

  get sources(): number {
    let n = 0;
    for (const p of this.prefixes.values()) n += p.sources.size;
    return n;
  }

  /** Sessions a source holds now. */
  held(src: string): number {
    return this.prefixes.get(prefixOf(src))?.sources.get(src) ?? 0;
  }

  enter(src: string): AdmissionDrop | undefined {
    const key = prefixOf(src);
    const p = this.prefixes.get(key);
    const n = p?.sources.get(src) ?? 0;
    if (n >= this.maxPerSource) return "max_concurrent_per_source";
    if ((p?.n ?? 0) >= this.maxPerPrefix) return "max_concurrent_per_prefix";
    if (this.live >= this.maxTotal) return "max_concurrent";
    const load = p ?? { n: 0, sources: new Map<string, number>() };
    if (!p) this.prefixes.set(key, load);
    load.n++;
    load.sources.set(src, n + 1);
    this.live++;
    return undefined;
  }

  /**
   * Whose session to close so `src` gets a slot at the global cap: the source holding the most
   * in the prefix holding the most; undefined when src's own prefix already holds as many (then
   * closing would only trade one heavy holder's session for another's). O(prefixes + sources of
   * one prefix), only at the cap.
   */
  victim(src: string): string | undefined {
    const own = this.prefixes.get(prefixOf(src))?.n ?? 0;
    let heavy: PrefixLoad | undefined;
    for (const p of this.prefixes.values()) if (!heavy || p.n > heavy.n) heavy = p;
    if (!heavy || heavy.n <= own) return undefined;
    let best: string | undefined;
    let most = 0;
    for (const [s, n] of heavy.sources) {
      if (n > most) {
        best = s;
        most = n;
      }
    }
    return best;
  }

  leave(src: string): void {
    const key = prefixOf(src);
    const p = this.prefixes.get(key);
    const n = p?.sources.get(src);
    if (!p || n === undefined) return;
    if (n <= 1) p.sources.delete(src);
    else p.sources.set(src, n - 1);
    if (--p.n <= 0) this.prefixes.delete(key);
    this.live--;
  }
}
