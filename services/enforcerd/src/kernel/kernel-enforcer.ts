/**
 * HoneyMesh's kernel side for enforcerd: loads bpf/build/honeymesh.bpf.o with
 * maps pinned under `pinRoot` (reused across restarts), attaches XDP, and
 * exposes bans, allowlist, mode, scan settings, counters and scan events.
 * Unexpected kernel failures throw BpfError; expected ones return values.
 */
import { existsSync, mkdirSync } from "node:fs";
import { bpfAvailability } from "@honeymesh/bpf/availability";
import { BpfError } from "@honeymesh/bpf/errors";
import { BpfObject } from "@honeymesh/bpf/object";
import { RingBuffer } from "@honeymesh/bpf/ringbuf";
import type { XdpAttachMode, XdpMode } from "@honeymesh/bpf/xdp";
import { progInfo } from "@honeymesh/bpf/prog-info";
import { attachState, attachXdp, detachXdp, type AttachState } from "./attachment.ts";
import { allowAdd, allowList, allowRemove, type AllowMaps } from "./allowlist.ts";
import { listBans, listKernelMadeBans, removeBans, upsertBans, type BanInput, type BanMaps, type BatchOutcome, type KernelBan } from "./bans.ts";
import { decodeConfig, encodeConfig, sampleClocks, type KernelConfig } from "./codec.ts";
import { decodeCounters, type KernelCounters } from "./counters.ts";
import { DEFAULT_FAST_BAN_TTL_S, MAPS, PROGRAM, type Mode } from "./layout.ts";
import type { Result } from "./result.ts";
import { decodeScanEvent, type ScanEvent } from "./scan-event.ts";
import { decodeGuardCounters, encodeGuardConfig, GUARD_MAPS, GUARD_MAX_PORTS, GUARD_PROGRAM, syncGuardPorts, type GuardCounters, type GuardSettings } from "./guard.ts";
import type { BpfLink } from "@honeymesh/bpf/link";

export type { AttachState, Result };

export interface OpenOptions {
  /** Path to honeymesh.bpf.o. */
  objectPath: string;
  /** bpffs directory for pinned maps, e.g. /sys/fs/bpf/honeymesh (created if missing). */
  pinRoot: string;
  /** Load the connection guard's tracing program too (only when `[guard] ports` is set). */
  guard?: boolean;
}

const ZERO_KEY = new Uint8Array(4);

export class KernelEnforcer {
  readonly #maps: BanMaps & AllowMaps;
  /** The protected set's tries, same shape as the allowlist's: the fast path never bans inside them. */
  readonly #protect: AllowMaps;
  readonly #progFd: number;
  readonly #progId: number;
  #ring: RingBuffer | undefined;
  #onEvent: ((e: ScanEvent) => void) | undefined;
  #guardLink: BpfLink | undefined;
  /** Why the guard's program is not loaded although it was asked for (else undefined). */
  readonly guardLoadError: string | undefined;

  private constructor(
    private readonly obj: BpfObject,
    private readonly guardLoaded: boolean,
    guardLoadError?: string,
  ) {
    this.guardLoadError = guardLoadError;
    this.#progFd = obj.programFd(PROGRAM);
    this.#progId = progInfo(this.#progFd).id;
    this.#maps = {
      banV4: obj.map(MAPS.banV4), banV6: obj.map(MAPS.banV6),
      cidrV4: obj.map(MAPS.cidrV4), cidrV6: obj.map(MAPS.cidrV6),
      allowV4: obj.map(MAPS.allowV4), allowV6: obj.map(MAPS.allowV6),
    };
    this.#protect = { allowV4: obj.map(MAPS.protectV4), allowV6: obj.map(MAPS.protectV6) };
  }

  /** Loads the program, reusing pinned maps. Never throws: the reason says exactly what is missing. */
  static open(o: OpenOptions): Result<KernelEnforcer> {
    const avail = bpfAvailability({ pinRoot: o.pinRoot });
    if (!avail.ok) return avail;
    if (!existsSync(o.objectPath))
      return { ok: false, reason: `BPF object ${o.objectPath} is missing: build it with make -C bpf.` };
    let obj: BpfObject | undefined;
    const load = (guard: boolean) => {
      const opened = BpfObject.open(o.objectPath, { pinRoot: o.pinRoot });
      try {
        return opened.setAutoload(GUARD_PROGRAM, guard).load();
      } catch (e) {
        opened.close();
        throw e;
      }
    };
    try {
      mkdirSync(o.pinRoot, { recursive: true, mode: 0o700 });
      if (o.guard) {
        // The guard's tracing program must never cost the node its XDP enforcement: when it
        // cannot load (a kernel without tp_btf, no CAP_PERFMON), load without it and say why.
        try {
          obj = load(true);
          return { ok: true, value: new KernelEnforcer(obj, true) };
        } catch (e) {
          obj = load(false);
          return { ok: true, value: new KernelEnforcer(obj, false, e instanceof Error ? e.message : String(e)) };
        }
      }
      obj = load(false);
      return { ok: true, value: new KernelEnforcer(obj, false) };
    } catch (e) {
      obj?.close();
      const msg = e instanceof Error ? e.message : String(e);
      return { ok: false, reason: `Could not load ${o.objectPath} (pins in ${o.pinRoot}): ${msg}` };
    }
  }

  /** The scan-event ring buffer's fd, for a consumer on another thread (see scan-worker.ts). */
  get eventsFd(): number {
    return this.obj.map(MAPS.events).fd;
  }

  /** The loaded program's id (what bpftool and xdpQuery report). */
  get programId(): number {
    return this.#progId;
  }

  /** Attaches or atomically replaces XDP on ifname; auto = native, then generic. */
  attach(ifname: string, mode: XdpAttachMode = "auto"): Result<{ ifindex: number; mode: XdpMode }> {
    return attachXdp(this.#progFd, ifname, mode);
  }

  /** Detaches any XDP program from ifname; false when none was attached. */
  detach(ifname: string): Result<boolean> {
    return detachXdp(ifname);
  }

  attached(ifname: string): Result<AttachState> {
    return attachState(ifname, this.#progId);
  }

  config(): KernelConfig {
    const raw = this.obj.map(MAPS.config).lookup(ZERO_KEY);
    if (!raw) throw new BpfError("ENOENT", 2, "hm_config has no element 0.");
    return decodeConfig(raw);
  }

  #writeConfig(patch: Partial<KernelConfig>): void {
    this.obj.map(MAPS.config).update(ZERO_KEY, encodeConfig({ ...this.config(), ...patch }));
  }

  /** Takes effect on the next packet; no reload. */
  setMode(mode: Mode): void {
    this.#writeConfig({ mode });
  }

  /** Distinct ports within windowS seconds that make one scan event. */
  setScan(threshold: number, windowS: number): void {
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 65535) throw new BpfError("BAD_ARGUMENT", 22, `Scan threshold ${threshold} must be an integer in 1..65535.`);
    if (!(windowS > 0)) throw new BpfError("BAD_ARGUMENT", 22, `Scan window ${windowS}s must be positive.`);
    this.#writeConfig({ scanThreshold: threshold, scanWindowNs: BigInt(Math.round(windowS * 1e9)) });
  }

  /**
   * The kernel fast path: in enforce mode the XDP program bans a source itself (SCAN, ttlS
   * seconds, flagged kernel-made) when it crosses the scan threshold, so its next packet is
   * dropped without a round trip through userspace. Off until set; test and lockdown mode never
   * fast-ban whatever this says.
   */
  setFastPath(enabled: boolean, ttlS: number = DEFAULT_FAST_BAN_TTL_S): void {
    if (!Number.isInteger(ttlS) || ttlS < 1 || ttlS > 0xffff_ffff) throw new BpfError("BAD_ARGUMENT", 22, `Fast-path ban TTL ${ttlS}s must be a positive integer.`);
    this.#writeConfig({ fastPath: enabled, fastBanTtlS: ttlS });
  }

  /** Adds addresses/prefixes to the protected set: the fast path never bans a source inside one. */
  protectAdd(cidrs: string[]): BatchOutcome {
    return allowAdd(this.#protect, cidrs);
  }

  protectRemove(cidrs: string[]): BatchOutcome {
    return allowRemove(this.#protect, cidrs);
  }

  protectList(): string[] {
    return allowList(this.#protect);
  }

  upsertBans(bans: BanInput[]): BatchOutcome {
    return upsertBans(this.#maps, bans);
  }

  removeBans(addresses: string[]): BatchOutcome {
    return removeBans(this.#maps, addresses);
  }

  listBans(): KernelBan[] {
    return listBans(this.#maps);
  }

  /** The fast path's own bans not yet rewritten by enforcerd (kernel-ban-sweep.ts). */
  listKernelMadeBans(limit?: number): KernelBan[] {
    return listKernelMadeBans(this.#maps, limit);
  }

  allowAdd(cidrs: string[]): BatchOutcome {
    return allowAdd(this.#maps, cidrs);
  }

  allowRemove(cidrs: string[]): BatchOutcome {
    return allowRemove(this.#maps, cidrs);
  }

  allowList(): string[] {
    return allowList(this.#maps);
  }

  counters(): KernelCounters {
    const raw = this.obj.map(MAPS.counters).lookup(ZERO_KEY);
    if (!raw) throw new BpfError("ENOENT", 2, "hm_counters has no element 0.");
    return decodeCounters(raw);
  }

  /**
   * Hands every scan event available now to `handler` and returns how many.
   * Non-blocking (call it from a timer); with timeoutMs > 0 it waits, blocking the JS thread.
   */
  pollScanEvents(handler: (e: ScanEvent) => void, timeoutMs = 0): number {
    this.#onEvent = handler;
    this.#ring ??= new RingBuffer(this.obj.map(MAPS.events).fd, (rec) => {
      const e = decodeScanEvent(rec, sampleClocks());
      if (e) this.#onEvent?.(e);
    });
    return timeoutMs > 0 ? this.#ring.poll(timeoutMs) : this.#ring.consume();
  }

  /**
   * The connection guard's settings and ports; with ports, attaches its program to
   * sock:inet_sock_set_state (for this process's lifetime: the guard stops with enforcerd, its
   * per-source counts stay pinned). A value says why it cannot run.
   */
  setGuard(s: GuardSettings): Result<"on" | "off"> {
    this.obj.map(GUARD_MAPS.config).update(ZERO_KEY, encodeGuardConfig(s));
    syncGuardPorts(this.obj.map(GUARD_MAPS.ports), s.ports.slice(0, GUARD_MAX_PORTS));
    if (s.ports.length === 0) {
      this.#guardLink?.destroy();
      this.#guardLink = undefined;
      return { ok: true, value: "off" };
    }
    if (!this.guardLoaded) return { ok: false, reason: `the guard's program is not loaded${this.guardLoadError ? `: ${this.guardLoadError}` : " (open with guard: true)"}` };
    if (!this.#guardLink) {
      try {
        this.#guardLink = this.obj.attach(GUARD_PROGRAM);
      } catch (e) {
        return { ok: false, reason: `cannot attach the guard to sock:inet_sock_set_state: ${(e as Error).message}` };
      }
    }
    return { ok: true, value: "on" };
  }

  get guardAttached(): boolean {
    return this.#guardLink?.attached ?? false;
  }

  /** The guard's report ring buffer, for a consumer on another thread (scan-worker.ts). */
  get guardEventsFd(): number {
    return this.obj.map(GUARD_MAPS.events).fd;
  }

  guardCounters(): GuardCounters {
    const raw = this.obj.map(GUARD_MAPS.counters).lookup(ZERO_KEY);
    if (!raw) throw new BpfError("ENOENT", 2, "hm_guard_counters has no element 0.");
    return decodeGuardCounters(raw);
  }

  /** Releases fds. Pinned maps and the attached program stay in the kernel, enforcing. */
  close(): void {
    this.#guardLink?.destroy();
    this.#guardLink = undefined;
    this.#ring?.close();
    this.#ring = undefined;
    this.obj.close();
  }
}
