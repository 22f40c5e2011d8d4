/** Where the ABI generator reads and writes, and how it gets BTF (bpftool, a build-time tool). */
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
export const ABI_HEADER = resolve(ROOT, "bpf/honeymesh.h");
export const ABI_OBJECT = resolve(ROOT, "bpf/build/honeymesh.bpf.o");
export const ABI_OUTPUT = resolve(ROOT, "services/enforcerd/src/kernel/abi.generated.ts");

/** `bpftool -j btf dump file <obj> format raw`, parsed. Throws when bpftool fails. */
export function readObjectBtf(object: string): { types: import("./generate.ts").BtfType[] } {
  const r = Bun.spawnSync(["bpftool", "-j", "btf", "dump", "file", object, "format", "raw"], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`bpftool btf dump ${object} failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString());
}
