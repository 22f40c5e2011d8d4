import type { CapturedFile, Credential, PersistenceItem, TrapHit, TrapIndicators, TrapService, TrapSession } from "@honeymesh/schema/trap";
import { ByteHistogram } from "./entropy.ts";
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

const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export interface Endpoint {
  service: TrapService;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

/** Everything captured of one connection; bounded whatever the peer sends. */
export class SessionRecord {
  readonly id = nextId();
  readonly startedAt = Date.now();
  lastActivity = this.startedAt;
  bytesIn = 0;
  bytesOut = 0;
  endReason: EndReason | undefined;
  private readonly creds: Credential[] = [];
  private readonly cmds: string[] = [];
  private readonly cmdAt: number[] = [];
  /** What an interactive session captured (shell/): set when the shell ends. */
  shell: { indicators?: TrapIndicators; persistence?: PersistenceItem[]; files?: CapturedFile[]; transcript?: string } | undefined;
  private readonly endHooks: (() => void)[] = [];
  private readonly meta: Record<string, string> = {};
  // Allocated at the first byte received: most scanner connections send nothing, and at
  // thousands of connections a second eager 4 KiB + 2 KiB buffers each were most of trapd's RSS.
  private sample: Uint8Array | undefined;
  private sampled = 0;
  private hist: ByteHistogram | undefined;
  /** Timers a protocol started for this session (auth delays, prompts); cleared when it ends. */
  readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    readonly at: Endpoint,
    private readonly sampleBytes: number,
    /** How the transport closes this session at once (timeouts, caps, shutdown). */
    public kill: (reason: EndReason) => void = () => {},
  ) {}

  received(chunk: Uint8Array): void {
    this.bytesIn += chunk.length;
    this.lastActivity = Date.now();
    (this.hist ??= new ByteHistogram()).add(chunk);
    this.sample ??= new Uint8Array(this.sampleBytes);
    if (this.sampled < this.sample.length) {
      const n = Math.min(chunk.length, this.sample.length - this.sampled);
      this.sample.set(chunk.subarray(0, n), this.sampled);
      this.sampled += n;
    }
  }

  sent(n: number): void {
    this.bytesOut += n;
  }

  credential(c: Credential): void {
    if (this.creds.length >= MAX_CREDS) return;
    const out: Credential = { method: c.method, username: cut(c.username, MAX_FIELD) };
    if (c.password !== undefined) out.password = cut(c.password, MAX_FIELD);
    if (c.key_fingerprint !== undefined) out.key_fingerprint = cut(c.key_fingerprint, 128);
    this.creds.push(out);
  }

  command(line: string): void {
    if (this.cmds.length >= MAX_COMMANDS) return;
    this.cmds.push(cut(line, MAX_COMMAND));
    this.cmdAt.push(Math.max(0, Date.now() - this.startedAt));
  }

  /** Runs before the session is published (the shell saves its transcript and quarantine here). */
  onEnd(fn: () => void): void {
    this.endHooks.push(fn);
  }

  runEndHooks(): void {
    for (const fn of this.endHooks.splice(0)) {
      try {
        fn();
      } catch {
        // a hook's failure must not lose the session
      }
    }
  }

  setMeta(key: string, value: string): void {
    const k = cut(key, 32);
    if (!(k in this.meta) && Object.keys(this.meta).length >= MAX_META) return;
    this.meta[k] = cut(value, 512);
  }

  get credentials(): readonly Credential[] {
    return this.creds;
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
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
      credentials: [...this.creds],
      commands: [...this.cmds],
      payload_b64: this.sample ? Buffer.from(this.sample.subarray(0, this.sampled)).toString("base64") : "",
      entropy: this.hist?.entropy() ?? 0,
      meta: { ...this.meta },
      end_reason: this.endReason ?? "closed",
      ...(this.cmdAt.length ? { command_at: [...this.cmdAt] } : {}),
      ...(this.shell?.indicators ? { indicators: this.shell.indicators } : {}),
      ...(this.shell?.persistence?.length ? { persistence: this.shell.persistence } : {}),
      ...(this.shell?.files?.length ? { files: this.shell.files } : {}),
      ...(this.shell?.transcript ? { transcript: this.shell.transcript } : {}),
    });
  }
}
