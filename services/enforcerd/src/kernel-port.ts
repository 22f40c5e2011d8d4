import type { KernelEnforcer } from "./kernel/kernel-enforcer.ts";

/** What the service logic needs of the kernel: absent when BPF is unavailable. */
export type KernelPort = Pick<
  KernelEnforcer,
  "upsertBans" | "removeBans" | "listBans" | "listKernelMadeBans" | "allowAdd" | "allowRemove" | "allowList" | "counters" | "setMode" | "setScan" | "setFastPath" | "protectAdd" | "protectRemove" | "protectList"
>;
