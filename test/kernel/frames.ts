/** Frame builders for BPF_PROG_TEST_RUN tests and the XDP bench. */

export const ETH_IP = 0x0800;
export const ETH_IPV6 = 0x86dd;
export const ETH_ARP = 0x0806;
export const VLAN_8021Q = 0x8100;
export const VLAN_8021AD = 0x88a8;

function be16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

export function eth(ethertype: number, vlanTpids: number[] = []): number[] {
  const out = [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
  for (const tpid of vlanTpids) out.push(...be16(tpid), ...be16(100)); // TPID, TCI (VLAN 100)
  out.push(...be16(ethertype));
  return out;
}

/** TCP header with only SYN set. */
export function tcpSyn(dport: number, sport = 40000): number[] {
  return [...be16(sport), ...be16(dport), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, ...be16(64240), 0, 0, 0, 0];
}

export function ipv4(src: number[], dst: number[], proto: number, payload: number[], o: { options?: number[]; fragOff?: number } = {}): number[] {
  const opts = o.options ?? [];
  const ihl = 5 + Math.ceil(opts.length / 4);
  const padded = [...opts, ...new Array<number>(ihl * 4 - 20 - opts.length).fill(1)];
  const total = ihl * 4 + payload.length;
  return [0x40 | ihl, 0, ...be16(total), 0, 1, ...be16(o.fragOff ?? 0), 64, proto, 0, 0, ...src, ...dst, ...padded, ...payload];
}

/** ext: [nextHeaderType, bytes] pairs in order; fragment headers are 8 bytes. */
export function ipv6(src: number[], dst: number[], finalProto: number, payload: number[], ext: Array<{ type: number; body: number[] }> = []): number[] {
  const chain: number[] = [];
  ext.forEach((h, i) => chain.push(ext[i + 1]?.type ?? finalProto, ...h.body));
  const first = ext[0]?.type ?? finalProto;
  const plen = chain.length + payload.length;
  return [0x60, 0, 0, 0, ...be16(plen), first, 64, ...src, ...dst, ...chain, ...payload];
}

/** Hop-by-hop / destination-options / routing body of (hdrlen+1)*8 bytes (first byte = next header added by ipv6()). */
export function optsBody(hdrlen: number): number[] {
  return [hdrlen, ...new Array<number>((hdrlen + 1) * 8 - 2).fill(0)];
}

/** Fragment header body (7 bytes after next-header). offset in 8-octet units. */
export function fragBody(offset: number, more: boolean): number[] {
  return [0, ...be16((offset << 3) | (more ? 1 : 0)), 0, 0, 0, 42];
}

export function v6bytes(words: number[]): number[] {
  return words.flatMap((w) => be16(w));
}

export function frame(...parts: number[][]): Uint8Array {
  const b = new Uint8Array(parts.flat());
  return b.length >= 60 ? b : (() => {
    const p = new Uint8Array(60); // Ethernet minimum (without FCS); test_run needs >= 14
    p.set(b);
    return p;
  })();
}

/** IPv4 More Fragments flag, for ipv4()'s fragOff (RFC 791). */
export const IP_MF = 0x2000;

/** TCP SYN whose header carries `optWords` 32-bit words of NOP options (doff = 5 + optWords). */
export function tcpSynWithOptions(dport: number, optWords: number): number[] {
  const h = tcpSyn(dport);
  h[12] = (5 + optWords) << 4;
  return [...h, ...new Array<number>(optWords * 4).fill(1)];
}
