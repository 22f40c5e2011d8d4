/**
 * XDP attach/detach/query by ifindex (netlink; libbpf bpf_xdp_*). The attach
 * outlives the process (it is not a bpf_link), which lets enforcement survive
 * an enforcerd restart. Replacement is atomic: XDP_FLAGS_REPLACE with the
 * expected old program fd (XDP_FLAGS_REPLACE, include/uapi/linux/if_link.h,
 * kernel >= 5.7), so no packet is ever seen without a program.
 */
import { BpfError, check, lib } from "./errors.ts";
import { closeFd } from "./libc.ts";
import { optsStruct } from "./native.ts";
import { progFdById } from "./prog-info.ts";

export const XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
export const XDP_FLAGS_SKB_MODE = 2;
export const XDP_FLAGS_DRV_MODE = 4;
export const XDP_FLAGS_REPLACE = 16;

export type XdpMode = "native" | "generic";
export type XdpAttachMode = XdpMode | "auto";

export interface XdpState {
  /** enum XDP_ATTACHED_*: none, native (drv), generic (skb), hw, multi. */
  attached: "none" | "native" | "generic" | "hw" | "multi";
  progId: number;
  nativeProgId: number;
  genericProgId: number;
}

const ATTACH_NAMES = ["none", "native", "generic", "hw", "multi"] as const;
const modeFlag = (m: XdpMode) => (m === "native" ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE);

/** struct bpf_xdp_query_opts: prog_id @8, drv @12, hw @16, skb @20, attach_mode @24. */
export function xdpQuery(ifindex: number): XdpState {
  const o = optsStruct(32);
  check(`XDP query on ifindex ${ifindex}`, lib().bpf_xdp_query(ifindex, 0, o.bytes));
  const v = o.view;
  return {
    attached: ATTACH_NAMES[v.getUint8(24)] ?? "multi",
    progId: v.getUint32(8, true),
    nativeProgId: v.getUint32(12, true),
    genericProgId: v.getUint32(20, true),
  };
}

/** Attaches in one concrete mode; returns -errno instead of throwing. */
function attachOnce(ifindex: number, progFd: number, mode: XdpMode): number {
  const state = xdpQuery(ifindex);
  const oldId = mode === "native" ? state.nativeProgId : state.genericProgId;
  const o = optsStruct(16);
  let flags = modeFlag(mode);
  let oldFd = -1;
  if (oldId) {
    oldFd = progFdById(oldId);
    o.view.setInt32(8, oldFd, true);
    flags |= XDP_FLAGS_REPLACE;
  } else {
    flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
  }
  try {
    return lib().bpf_xdp_attach(ifindex, progFd, flags, o.bytes);
  } finally {
    closeFd(oldFd);
  }
}

/**
 * Attaches (or atomically replaces) the program. `auto` tries native first
 * and falls back to generic (skb) mode when the driver refuses native XDP.
 */
export function xdpAttach(ifindex: number, progFd: number, mode: XdpAttachMode): XdpMode {
  const order: XdpMode[] = mode === "auto" ? ["native", "generic"] : [mode];
  let last = 0;
  for (const m of order) {
    last = attachOnce(ifindex, progFd, m);
    if (last === 0) return m;
  }
  throw BpfError.fromErrno(`XDP attach (${mode}) on ifindex ${ifindex}`, last);
}

/** Detaches whatever XDP program is attached; false when none was. */
export function xdpDetach(ifindex: number): boolean {
  const s = xdpQuery(ifindex);
  let any = false;
  for (const [id, m] of [[s.nativeProgId, "native"], [s.genericProgId, "generic"]] as const) {
    if (!id) continue;
    check(`XDP detach (${m}) on ifindex ${ifindex}`, lib().bpf_xdp_detach(ifindex, modeFlag(m), null));
    any = true;
  }
  return any;
}

export function requireIfindex(ifindex: number, name: string): number {
  if (ifindex <= 0) throw new BpfError("NO_SUCH_INTERFACE", 19, `Interface ${name} does not exist in this network namespace.`);
  return ifindex;
}
