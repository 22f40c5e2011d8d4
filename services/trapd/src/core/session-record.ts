import type { CapturedFile, Credential, PersistenceItem, TrapHit, TrapIndicators, TrapService, TrapSession } from "@honeymesh/schema/trap";
import { ByteHistogram, shannonEntropy } from "./entropy.ts";
import type { EndReason } from "./limits.ts";
import { fitSession } from "./session-fit.ts";

// Bounds of TrapSession (packages/schema/src/trap.ts): truncate, never fail the schema.
const MAX_CREDS = 64;
const MAX_COMMANDS = 64;
const MAX_COMMAND = 512;
const MAX_FIELD = 256;
const MAX_META = 16;

let seq = 0;
const prefix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
/** Unique across restarts (random per-process prefix) without a random draw per connection. */
function nextId(): string {
  return `${prefix}-${(seq++).toString(36)}`;
}

const NONE: readonly Credential[] = Object.freeze([]);
const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export interface Endpoint {
  service: TrapService;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

/**
 * Everything captured of one connection; bounded whatever the peer sends. Every collection is
 * created at its first use: most connections are scans that send nothing, thousands are open at
 * once, and eager arrays, a Set, a map and 6 KiB of buffers each were most of trapd's RSS.
 */
export class SessionRecord {
  readonly id = nextId();
  readonly startedAt = Date.now();
  lastActivity = this.startedAt;
  bytesIn = 0;
  bytesOut = 0;
  endReason: EndReason | undefined;
  private creds: Credential[] | undefined;
  private cmds: string[] | undefined;
  private cmdAt: number[] | undefined;
  /** What an interactive session captured (shell/): set when the shell ends. */
  shell: { indicators?: TrapIndicators; persistence?: PersistenceItem[]; files?: CapturedFile[]; transcript?: string } | undefined;
  private endHooks: (() => void)[] | undefined;
  private meta: Record<string, string> | undefined;
  /** The first `sampleBytes` received, grown as bytes arrive (a scanner's probe is a few bytes). */
  private sample: Uint8Array | undefined;
  private sampled = 0;
  /** The byte histogram, only once the input outgrows the sample (until then the sample is all of it). */
  private hist: ByteHistogram | undefined;
  /** Timers a protocol started for this session (auth delays, prompts); cleared when it ends. */
  private timers: Set<ReturnType<typeof setTimeout>> | undefined;

  constructor(
    readonly at: Endpoint,
    private readonly sampleBytes: number,
    /** How the transport closes this session at once (timeouts, caps, shutdown). */
    public kill: (reason: EndReason) => void = () => {},
  ) {}

  received(chunk: Uint8Array): void {
    this.bytesIn += chunk.length;
    this.lastActivity = Date.now();
    const room = this.sampleBytes - this.sampled;
    if (room > 0) {
      const n = Math.min(chunk.length, room);
      if (!this.sample || this.sample.length < this.sampled + n) {
        // Doubling, from at least 256 bytes, up to sampleBytes: a few copies at most.
        const grown = new Uint8Array(Math.min(this.sampleBytes, Math.max(256, this.sampled + n, (this.sample?.length ?? 0) * 2)));
        if (this.sample) grown.set(this.sample.subarray(0, this.sampled));
        this.sample = grown;
      }
      this.sample.set(n === chunk.length ? chunk : chunk.subarray(0, n), this.sampled);
      this.sampled += n;
      if (n === chunk.length) return;
    }
    if (!this.hist) {
      this.hist = new ByteHistogram();
      if (this.sample) this.hist.add(this.sample.subarray(0, this.sampled));
      // The part of this chunk already in the sample was counted with it.
      this.hist.add(chunk.subarray(Math.max(0, room)));
    } else this.hist.add(chunk);
  }

  sent(n: number): void {
    this.bytesOut += n;
  }

  credential(c: Credential): void {
    const creds = (this.creds ??= []);
    if (creds.length >= MAX_CREDS) return;
    const out: Credential = { method: c.method, username: cut(c.username, MAX_FIELD) };
    if (c.password !== undefined) out.password = cut(c.password, MAX_FIELD);
    if (c.key_fingerprint !== undefined) out.key_fingerprint = cut(c.key_fingerprint, 128);
    creds.push(out);
  }

  command(line: string): void {
    const cmds = (this.cmds ??= []);
    if (cmds.length >= MAX_COMMANDS) return;
    cmds.push(cut(line, MAX_COMMAND));
    (this.cmdAt ??= []).push(Math.max(0, Date.now() - this.startedAt));
  }

  /** Runs before the session is published (the shell saves its transcript and quarantine here). */
  onEnd(fn: () => void): void {
    (this.endHooks ??= []).push(fn);
  }

  runEndHooks(): void {
    if (!this.endHooks) return;
    for (const fn of this.endHooks.splice(0)) {
      try {
        fn();
      } catch {
        // a hook's failure must not lose the session
      }
    }
  }

  setMeta(key: string, value: string): void {
    const meta = (this.meta ??= {});
    const k = cut(key, 32);
    if (!(k in meta) && Object.keys(meta).length >= MAX_META) return;
    meta[k] = cut(value, 512);
  }

  get credentials(): readonly Credential[] {
    return this.creds ?? NONE;
  }

  later(ms: number, fn: () => void): void {
    const timers = (this.timers ??= new Set());
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  clearTimers(): void {
    if (!this.timers) return;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Shannon entropy of everything received (entropy.ts). */
  private entropy(): number {
    if (this.hist) return this.hist.entropy();
    return this.sample ? shannonEntropy(this.sample.subarray(0, this.sampled)) : 0;
  }

  hit(): TrapHit {
    return { session_id: this.id, service: this.at.service, src: this.at.src, src_port: this.at.srcPort, dst_port: this.at.dstPort, at: this.startedAt };
  }

  /** The closed session, within the bus's size in serialised bytes (session-fit.ts). */
  session(endedAt = Date.now()): TrapSession {
    return fitSession({
      session_id: this.id,
      service: this.at.service,
      src: this.at.src,
      src_port: this.at.srcPort,
      dst: this.at.dst,
      dst_port: this.at.dstPort,
      started_at: this.startedAt,
      ended_at: Math.max(endedAt, this.startedAt),
      bytes_in: this.bytesIn,
      bytes_out: this.bytesOut,
      credentials: this.creds ? [...this.creds] : [],
      commands: this.cmds ? [...this.cmds] : [],
      payload_b64: this.sample ? Buffer.from(this.sample.buffer, this.sample.byteOffset, this.sampled).toString("base64") : "",
      entropy: this.entropy(),
      meta: { ...this.meta },
      end_reason: this.endReason ?? "closed",
      ...(this.cmdAt?.length ? { command_at: [...this.cmdAt] } : {}),
      ...(this.shell?.indicators ? { indicators: this.shell.indicators } : {}),
      ...(this.shell?.persistence?.length ? { persistence: this.shell.persistence } : {}),
      ...(this.shell?.files?.length ? { files: this.shell.files } : {}),
      ...(this.shell?.transcript ? { transcript: this.shell.transcript } : {}),
    });
  }
}
