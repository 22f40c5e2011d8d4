import type { FrozenConfig } from "@honeymesh/config/schema";

/** Why a connection was refused outright (never recorded, only counted). */
export type AdmissionDrop = "max_concurrent" | "max_concurrent_per_source" | "no_peer_address";
/** Why a session was cut (recorded with this end_reason, and counted). */
export type CutReason = "idle_timeout" | "total_timeout" | "byte_cap" | "line_cap" | "write_backlog";
/** Why a finished session could not be stored or published (counted). */
export type BacklogDrop = "publish_backlog" | "store_backlog";
export type LimitName = AdmissionDrop | CutReason | BacklogDrop;
export type EndReason = CutReason | "closed" | "error" | "shutdown";

export interface TrapLimits {
  maxConcurrent: number;
  maxPerSource: number;
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
    idleMs: cfg.idle_timeout_s * 1000,
    totalMs: cfg.session_timeout_s * 1000,
    maxBytesIn: cfg.max_bytes_in,
    maxLine: cfg.max_line_bytes,
    sampleBytes: cfg.payload_sample_bytes,
    authDelayMs: cfg.auth_delay_ms,
  };
}

/**
 * Concurrent-session admission: a global cap and a per-source cap. The per-source map only
 * holds sources with a live session, so it is bounded by the global cap.
 */
export class Admission {
  private readonly perSource = new Map<string, number>();
  private live = 0;

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerSource: number,
  ) {}

  get active(): number {
    return this.live;
  }

  get sources(): number {
    return this.perSource.size;
  }

  enter(src: string): AdmissionDrop | undefined {
    if (this.live >= this.maxTotal) return "max_concurrent";
    const n = this.perSource.get(src) ?? 0;
    if (n >= this.maxPerSource) return "max_concurrent_per_source";
    this.perSource.set(src, n + 1);
    this.live++;
    return undefined;
  }

  leave(src: string): void {
    const n = this.perSource.get(src);
    if (n === undefined) return;
    if (n <= 1) this.perSource.delete(src);
    else this.perSource.set(src, n - 1);
    this.live--;
  }
}
