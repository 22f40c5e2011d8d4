/** bpf_obj_get_info_by_fd for programs and maps, and prog fd by id. */
import { check, lib } from "./errors.ts";

export interface ProgInfo {
  type: number;
  id: number;
}

export interface MapInfo {
  type: number;
  id: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  name: string;
}

function info(fd: number, size: number, what: string): DataView {
  const buf = new Uint8Array(size);
  const len = new Uint32Array([size]);
  check(`bpf_obj_get_info_by_fd(${what} fd ${fd})`, lib().bpf_obj_get_info_by_fd(fd, buf, len));
  return new DataView(buf.buffer);
}

/** struct bpf_prog_info: __u32 type @0, __u32 id @4 (include/uapi/linux/bpf.h). */
export function progInfo(fd: number): ProgInfo {
  const v = info(fd, 256, "prog");
  return { type: v.getUint32(0, true), id: v.getUint32(4, true) };
}

/** struct bpf_map_info: type, id, key_size, value_size, max_entries, map_flags, name[16]. */
export function mapInfo(fd: number): MapInfo {
  const v = info(fd, 96, "map");
  const nameBytes = new Uint8Array(v.buffer, 24, 16);
  const end = nameBytes.indexOf(0);
  return {
    type: v.getUint32(0, true),
    id: v.getUint32(4, true),
    keySize: v.getUint32(8, true),
    valueSize: v.getUint32(12, true),
    maxEntries: v.getUint32(16, true),
    flags: v.getUint32(20, true),
    name: new TextDecoder().decode(nameBytes.subarray(0, end < 0 ? 16 : end)),
  };
}

/** A new fd for the program with this id (caller closes it). */
export function progFdById(id: number): number {
  return check(`bpf_prog_get_fd_by_id(${id})`, lib().bpf_prog_get_fd_by_id(id));
}
