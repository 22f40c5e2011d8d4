/**
 * XDP attachment by interface name in the caller's network namespace.
 * Expected failures (no such interface, driver refuses a mode) are values.
 */
import { BpfError } from "@honeymesh/bpf/errors";
import { ifNameToIndex } from "@honeymesh/bpf/libc";
import { xdpAttach, xdpDetach, xdpQuery, type XdpAttachMode, type XdpMode } from "@honeymesh/bpf/xdp";
import type { Result } from "./result.ts";

export interface AttachState {
  attached: boolean;
  mode: XdpMode | "none" | "other";
  progId: number;
  /** true when the attached program is the given (our) program id. */
  ours: boolean;
}

function ifindexOf(ifname: string): Result<number> {
  const ifindex = ifNameToIndex(ifname);
  return ifindex ? { ok: true, value: ifindex } : { ok: false, reason: `Interface ${ifname} does not exist in this network namespace.` };
}

/** Attaches or atomically replaces; auto = native, then generic. */
export function attachXdp(progFd: number, ifname: string, mode: XdpAttachMode): Result<{ ifindex: number; mode: XdpMode }> {
  const idx = ifindexOf(ifname);
  if (!idx.ok) return idx;
  try {
    return { ok: true, value: { ifindex: idx.value, mode: xdpAttach(idx.value, progFd, mode) } };
  } catch (e) {
    if (e instanceof BpfError) return { ok: false, reason: `Cannot attach XDP (${mode}) to ${ifname}: ${e.message}` };
    throw e;
  }
}

/** false when nothing was attached. */
export function detachXdp(ifname: string): Result<boolean> {
  const idx = ifindexOf(ifname);
  return idx.ok ? { ok: true, value: xdpDetach(idx.value) } : idx;
}

export function attachState(ifname: string, ourProgId: number): Result<AttachState> {
  const idx = ifindexOf(ifname);
  if (!idx.ok) return idx;
  const q = xdpQuery(idx.value);
  const mode = q.attached === "native" || q.attached === "generic" ? q.attached : q.attached === "none" ? "none" : "other";
  return { ok: true, value: { attached: q.progId !== 0, mode, progId: q.progId, ours: q.progId !== 0 && q.progId === ourProgId } };
}
