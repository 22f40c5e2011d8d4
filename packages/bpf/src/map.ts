/**
 * A BPF map by fd. Keys and values are raw bytes in the kernel's layout.
 * Hot-path misses return values (undefined / false), not exceptions.
 */
import { BpfError, check, lib } from "./errors.ts";
import { closeFd } from "./libc.ts";
import { cString } from "./native.ts";
import { mapInfo, type MapInfo } from "./prog-info.ts";

/** enum bpf_map_type values used by HoneyMesh (include/uapi/linux/bpf.h). */
export const MapType = {
  HASH: 1, ARRAY: 2, PERCPU_HASH: 5, PERCPU_ARRAY: 6, LRU_HASH: 9, LRU_PERCPU_HASH: 10,
  LPM_TRIE: 11, RINGBUF: 27,
} as const;

/** Update flags. */
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;

const ENOENT = 2;
const PERCPU = new Set<number>([MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH]);

export function possibleCpus(): number {
  return check("libbpf_num_possible_cpus", lib().libbpf_num_possible_cpus());
}

export class BpfMap {
  readonly info: MapInfo;
  /** Bytes of a value buffer: per-CPU maps hold round_up(value_size, 8) per possible CPU. */
  readonly valueBytes: number;
  readonly perCpu: boolean;
  #fd: number;

  constructor(fd: number, private readonly ownsFd: boolean) {
    this.#fd = fd;
    this.info = mapInfo(fd);
    this.perCpu = PERCPU.has(this.info.type);
    this.valueBytes = this.perCpu ? Math.ceil(this.info.valueSize / 8) * 8 * possibleCpus() : this.info.valueSize;
  }

  /** Opens a map pinned in bpffs; the returned map owns its fd. */
  static openPinned(path: string): BpfMap {
    return new BpfMap(check(`bpf_obj_get(${path})`, lib().bpf_obj_get(cString(path))), true);
  }

  get fd(): number {
    if (this.#fd < 0) throw new BpfError("CLOSED", 0, `Map ${this.info.name} is closed.`);
    return this.#fd;
  }

  get name(): string {
    return this.info.name;
  }

  lookup(key: Uint8Array): Uint8Array | undefined {
    const value = new Uint8Array(this.valueBytes);
    const r = lib().bpf_map_lookup_elem(this.fd, key, value);
    if (r === -ENOENT) return undefined;
    check(`lookup in map ${this.name}`, r);
    return value;
  }

  /** Throws BpfError (e.g. E2BIG when full, EEXIST with BPF_NOEXIST). */
  update(key: Uint8Array, value: Uint8Array, flags: number = BPF_ANY): void {
    check(`update of map ${this.name}`, lib().bpf_map_update_elem(this.fd, key, value, BigInt(flags)));
  }

  /** false when the key was absent. */
  delete(key: Uint8Array): boolean {
    const r = lib().bpf_map_delete_elem(this.fd, key);
    if (r === -ENOENT) return false;
    check(`delete from map ${this.name}`, r);
    return true;
  }

  /** The key after `prev` (the first key when prev is null); undefined at the end. */
  nextKey(prev: Uint8Array | null): Uint8Array | undefined {
    const next = new Uint8Array(this.info.keySize);
    const r = lib().bpf_map_get_next_key(this.fd, prev, next);
    if (r === -ENOENT) return undefined;
    check(`get_next_key in map ${this.name}`, r);
    return next;
  }

  /** Iterates keys with get_next_key. Concurrent deletes may restart a hash walk. */
  *keys(): Generator<Uint8Array> {
    let k = this.nextKey(null);
    while (k) {
      yield k;
      k = this.nextKey(k);
    }
  }

  /** Closes the fd when this object opened it; maps from a BpfObject close with it. */
  close(): void {
    if (this.ownsFd && this.#fd >= 0) closeFd(this.#fd);
    this.#fd = -1;
  }
}
