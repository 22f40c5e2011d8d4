/**
 * Batch map operations (BPF_MAP_{UPDATE,DELETE,LOOKUP}_BATCH, kernel >= 5.6;
 * hash maps only — LPM tries do not implement them, use BpfMap.keys()).
 * Keys/values are packed arrays of key_size / value bytes.
 */
import { check, lib } from "./errors.ts";
import { optsStruct } from "./native.ts";
import type { BpfMap } from "./map.ts";

const ENOENT = 2;
const ENOSPC = 28;

/** struct bpf_map_batch_opts { size_t sz; __u64 elem_flags; __u64 flags; } */
function batchOpts(elemFlags: number): Uint8Array {
  const o = optsStruct(24);
  o.view.setBigUint64(8, BigInt(elemFlags), true);
  return o.bytes;
}

/** Updates `count` packed entries; throws BpfError if the kernel stops early. */
export function updateBatch(map: BpfMap, keys: Uint8Array, values: Uint8Array, count: number, elemFlags = 0): void {
  const n = new Uint32Array([count]);
  const r = lib().bpf_map_update_batch(map.fd, keys, values, n, batchOpts(elemFlags));
  check(`batch update of map ${map.name} (${n[0]} of ${count} done)`, r);
}

/**
 * Deletes packed keys; absent keys are skipped (the kernel stops a batch at
 * the first -ENOENT, so we resume after it). Returns how many were deleted.
 */
export function deleteBatch(map: BpfMap, keys: Uint8Array, count: number): number {
  const ks = map.info.keySize;
  const opts = batchOpts(0);
  let done = 0;
  let deleted = 0;
  while (done < count) {
    const n = new Uint32Array([count - done]);
    const r = lib().bpf_map_delete_batch(map.fd, keys.subarray(done * ks), n, opts);
    deleted += n[0]!;
    done += n[0]!;
    if (r === -ENOENT) done += 1;
    else check(`batch delete from map ${map.name}`, r);
  }
  return deleted;
}

export interface BatchChunk {
  keys: Uint8Array;
  values: Uint8Array;
  count: number;
}

/** Dumps a hash map in chunks with BPF_MAP_LOOKUP_BATCH. */
export function* lookupBatch(map: BpfMap, chunk = 8192): Generator<BatchChunk> {
  const ks = map.info.keySize;
  const vs = map.valueBytes;
  const opts = batchOpts(0);
  // The batch token is a u32 bucket index for hash maps; 8 bytes is ample.
  let inBatch: Uint8Array | null = null;
  const outBatch = new Uint8Array(Math.max(8, ks));
  let size = chunk;
  for (;;) {
    const keys = new Uint8Array(size * ks);
    const values = new Uint8Array(size * vs);
    const n = new Uint32Array([size]);
    const r = lib().bpf_map_lookup_batch(map.fd, inBatch, outBatch, keys, values, n, opts);
    if (r === -ENOSPC && n[0] === 0) {
      size *= 2; // one bucket holds more than `size` entries
      continue;
    }
    if (r < 0 && r !== -ENOENT) check(`batch lookup in map ${map.name}`, r);
    if (n[0]! > 0) yield { keys, values, count: n[0]! };
    if (r === -ENOENT) return;
    inBatch = outBatch.slice();
  }
}
