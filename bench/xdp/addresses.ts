/** Deterministic ban sets: address i -> 11.(i>>16).(i>>8&255).(i&255). */

export function addrBytes(i: number): number[] {
  return [11, (i >> 16) & 255, (i >> 8) & 255, i & 255];
}

export function addrText(i: number): string {
  return addrBytes(i).join(".");
}

/** Packed u32 keys (network order) for indexes [from, to). */
export function packedKeys(from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from) * 4);
  for (let i = from; i < to; i++) out.set(addrBytes(i), (i - from) * 4);
  return out;
}

/** Ethernet + IPv4 + UDP, 64 bytes, from src to dst. */
export function udpFrame(src: number[], dst: number[], dstMac = [2, 0, 0, 0, 0, 1]): Uint8Array {
  const f = new Uint8Array(64);
  f.set([...dstMac, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
  const ip = [0x45, 0, 0, 50, 0, 1, 0x40, 0, 64, 17, 0, 0, ...src, ...dst];
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (ip[i]! << 8) | ip[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = (~sum >> 8) & 0xff;
  ip[11] = ~sum & 0xff;
  f.set(ip, 14);
  f.set([0x9c, 0x40, 0x1f, 0x90, 0, 30, 0, 0], 34); // UDP 40000 -> 8080, no checksum
  return f;
}
