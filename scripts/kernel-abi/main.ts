/**
 * `bun scripts/kernel-abi/main.ts [--check]` (also `make -C bpf abi`): writes
 * services/enforcerd/src/kernel/abi.generated.ts from bpf/honeymesh.h and the
 * BTF of bpf/build/honeymesh.bpf.o. With --check, exits 1 when the committed
 * file differs instead of writing it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ABI_OUTPUT, ABI_HEADER, ABI_OBJECT, readObjectBtf } from "./paths.ts";
import { generateAbiModule } from "./generate.ts";

const text = generateAbiModule(readFileSync(ABI_HEADER, "utf8"), readObjectBtf(ABI_OBJECT));
if (process.argv.includes("--check")) {
  const same = readFileSync(ABI_OUTPUT, "utf8") === text;
  console.log(same ? "abi.generated.ts is up to date" : "abi.generated.ts is stale: run make -C bpf abi");
  process.exit(same ? 0 : 1);
}
writeFileSync(ABI_OUTPUT, text);
console.log(`wrote ${ABI_OUTPUT}`);
