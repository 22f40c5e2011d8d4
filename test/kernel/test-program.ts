import { BpfObject } from "@honeymesh/bpf/object";
import { testRun } from "@honeymesh/bpf/test-run";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { makePinRoot, removePinRoot, OBJECT } from "./harness.ts";

export const XDP_DROP = 1;
export const XDP_PASS = 2;

export interface TestProgram {
  k: KernelEnforcer;
  /** The XDP verdict for one frame, through BPF_PROG_TEST_RUN. */
  run(frame: Uint8Array): number;
  close(): void;
}

/**
 * The real XDP program on its own pin root, set up through the enforcer (mode, bans, allowlist),
 * plus a second object on the same pins whose program fd BPF_PROG_TEST_RUN drives: the frames see
 * exactly the maps the enforcer wrote.
 */
export function openTestProgram(setup: (k: KernelEnforcer) => void): TestProgram {
  const pinRoot = makePinRoot();
  const opened = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
  if (!opened.ok) {
    removePinRoot(pinRoot);
    throw new Error(opened.reason);
  }
  const k = opened.value;
  setup(k);
  const obj = BpfObject.open(OBJECT, { pinRoot }).load();
  const prog = obj.programFd("hm_xdp");
  return {
    k,
    run: (frame) => testRun(prog, { data: frame }).retval,
    close() {
      obj.close();
      k.close();
      removePinRoot(pinRoot);
    },
  };
}
