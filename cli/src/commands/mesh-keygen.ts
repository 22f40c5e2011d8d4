import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { generateKey } from "@libp2p/pnet";
import { CliError } from "../errors.ts";

/**
 * `honeymesh mesh keygen [--out PATH]`: a fresh cluster pre-shared key in the @libp2p/pnet
 * format (the go-ipfs swarm.key format). Every node of a cluster needs the same file as
 * `[mesh] cluster_key_file`; a node without it cannot connect. Written 0600, never over an
 * existing file (replacing a key by accident would split the cluster); stdout without --out.
 */
export function meshCommand(sub: readonly string[], out: string | true | undefined): number {
  if (sub[0] !== "keygen" || sub.length !== 1) throw new CliError("USAGE", "usage: honeymesh mesh keygen [--out PATH]");
  const key = new Uint8Array(95);
  generateKey(key);
  if (out === undefined) {
    process.stdout.write(key);
    return 0;
  }
  if (out === true || out === "") throw new CliError("USAGE", "--out needs a path");
  if (existsSync(out)) throw new CliError("USAGE", `${out} already exists; remove it first to replace the cluster key`);
  try {
    writeFileSync(out, key, { mode: 0o600, flag: "wx" });
    chmodSync(out, 0o600);
  } catch (e) {
    throw new CliError("START_FAILED", `cannot write ${out}: ${(e as Error).message}`);
  }
  process.stdout.write(`cluster key written to ${out} (copy it to every node of the cluster; keep it secret)\n`);
  return 0;
}
