/**
 * BPF_PROG_TEST_RUN (bpf_prog_test_run_opts). For XDP, `duration` is the
 * kernel-measured mean ns per run over `repeat` runs. With
 * BPF_F_TEST_XDP_LIVE_FRAMES (kernel >= 5.18) frames the program returns
 * XDP_TX/XDP_REDIRECT for are really transmitted (a packet generator,
 * Documentation/bpf/bpf_prog_run.rst).
 */
import { check, lib } from "./errors.ts";
import { addrOf, optsStruct } from "./native.ts";

export const BPF_F_TEST_RUN_ON_CPU = 1;
export const BPF_F_TEST_XDP_LIVE_FRAMES = 2;

export interface TestRunOptions {
  data: Uint8Array;
  repeat?: number;
  /** Context (struct xdp_md for XDP); see xdpMd(). */
  ctx?: Uint8Array;
  /** Capture the (possibly rewritten) packet. */
  dataOut?: boolean;
  flags?: number;
  /** Live-frames batch size (0 = kernel default 64). */
  batchSize?: number;
}

export interface TestRunResult {
  retval: number;
  durationNs: number;
  dataOut?: Uint8Array;
}

/**
 * struct xdp_md { data, data_end @4, data_meta, ingress_ifindex @12, rx_queue_index @16, egress_ifindex }.
 * The kernel requires data_end == the frame length (net/bpf/test_run.c).
 */
export function xdpMd(frameLength: number, ingressIfindex: number, rxQueue = 0): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(4, frameLength, true);
  v.setUint32(12, ingressIfindex, true);
  v.setUint32(16, rxQueue, true);
  return b;
}

/** Offsets from struct bpf_test_run_opts (libbpf 1.1, size 80). */
export function testRun(progFd: number, o: TestRunOptions): TestRunResult {
  const s = optsStruct(80);
  const v = s.view;
  const out = o.dataOut ? new Uint8Array(o.data.length + 256) : null;
  v.setBigUint64(8, addrOf(o.data), true);
  v.setBigUint64(16, addrOf(out), true);
  v.setUint32(24, o.data.length, true);
  v.setUint32(28, out ? out.length : 0, true);
  v.setBigUint64(32, addrOf(o.ctx), true);
  v.setUint32(48, o.ctx ? o.ctx.length : 0, true);
  v.setUint32(60, o.repeat ?? 1, true);
  v.setUint32(68, o.flags ?? 0, true);
  v.setUint32(76, o.batchSize ?? 0, true);
  // Keep the buffers referenced across the call (their addresses are in s).
  const keep = [o.data, out, o.ctx];
  check(`BPF_PROG_TEST_RUN on prog fd ${progFd}`, lib().bpf_prog_test_run_opts(progFd, s.bytes));
  void keep;
  const result: TestRunResult = { retval: v.getUint32(56, true), durationNs: v.getUint32(64, true) };
  if (out) result.dataOut = out.slice(0, v.getUint32(28, true));
  return result;
}
