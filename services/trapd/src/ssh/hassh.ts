import { createHash } from "node:crypto";

export interface Hassh {
  /** MD5 of "kex;ciphers_c2s;macs_c2s;compression_c2s" (https://github.com/salesforce/hassh). */
  hassh: string;
  algorithms: string;
  /** The four lists it is made of: kex, ciphers, MACs, compression (client to server). */
  lists: [string, string, string, string];
}

const SSH_MSG_KEXINIT = 20;
const MAX_PACKET = 35_000; // RFC 4253 §6.1: implementations must handle 35000-byte packets

function nameList(b: Buffer, p: number): { list: string; next: number } | undefined {
  if (p + 4 > b.length) return undefined;
  const n = b.readUInt32BE(p);
  if (p + 4 + n > b.length) return undefined;
  return { list: b.toString("latin1", p + 4, p + 4 + n), next: p + 4 + n };
}

/**
 * ssh2 does not expose the client's KEXINIT, so the trap reads it off the wire: after the
 * identification line (RFC 4253 §4.2) comes the first binary packet, unencrypted (§6):
 * uint32 packet_length, byte padding_length, payload (byte 20, 16-byte cookie, 10 name-lists).
 * Returns "more" until enough bytes arrived, undefined when the stream is not that.
 */
export function parseClientKexinit(stream: Buffer): Hassh | "more" | undefined {
  const nl = stream.indexOf(10);
  if (nl < 0) return "more";
  const p = nl + 1;
  if (stream.length < p + 5) return "more";
  const len = stream.readUInt32BE(p);
  if (len < 2 || len > MAX_PACKET) return undefined;
  if (stream.length < p + 4 + len) return "more";
  const pad = stream[p + 4]!;
  const payload = stream.subarray(p + 5, p + 4 + len - pad);
  if (payload[0] !== SSH_MSG_KEXINIT) return undefined;
  const lists: string[] = [];
  let q = 17;
  for (let i = 0; i < 10; i++) {
    const l = nameList(payload, q);
    if (!l) return undefined;
    lists.push(l.list);
    q = l.next;
  }
  // kex, host key, enc c2s, enc s2c, mac c2s, mac s2c, comp c2s, …
  const four: [string, string, string, string] = [lists[0]!, lists[2]!, lists[4]!, lists[6]!];
  const algorithms = four.join(";");
  return { hassh: createHash("md5").update(algorithms).digest("hex"), algorithms, lists: four };
}
