/**
 * MQTT 3.1.1 packets, the subset a HoneyMesh client speaks (OASIS MQTT 3.1.1 §2–§3):
 * CONNECT/CONNACK, PUBLISH/PUBACK (QoS 0/1), SUBSCRIBE/SUBACK, PINGREQ/PINGRESP, DISCONNECT.
 * A plain byte codec without streams: mqtt.js's stream stack costs ~13 MB of RSS per process.
 */
export const TYPE = { CONNECT: 1, CONNACK: 2, PUBLISH: 3, PUBACK: 4, SUBSCRIBE: 8, SUBACK: 9, PINGREQ: 12, PINGRESP: 13, DISCONNECT: 14 } as const;

const enc = new TextEncoder();

function str(s: string): Uint8Array {
  const b = enc.encode(s);
  const out = new Uint8Array(2 + b.length);
  out[0] = b.length >> 8;
  out[1] = b.length & 0xff;
  out.set(b, 2);
  return out;
}

/** §2.2.3: remaining length, 7 bits per byte, at most four bytes. */
function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function packet(first: number, parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((a, p) => a + p.length, 0);
  const head = [first, ...remainingLength(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);

export function connect(o: { clientId: string; username: string; password: string; keepaliveS: number; clean: boolean }): Uint8Array {
  const flags = 0x80 | 0x40 | (o.clean ? 0x02 : 0);
  return packet(TYPE.CONNECT << 4, [str("MQTT"), Uint8Array.of(4, flags), u16(o.keepaliveS), str(o.clientId), str(o.username), str(o.password)]);
}

export function publish(topic: string, payload: Uint8Array, qos: 0 | 1, id: number, dup = false): Uint8Array {
  const parts = [str(topic)];
  if (qos > 0) parts.push(u16(id));
  parts.push(payload);
  return packet((TYPE.PUBLISH << 4) | (dup ? 0x08 : 0) | (qos << 1), parts);
}

export function puback(id: number): Uint8Array {
  return Uint8Array.of(TYPE.PUBACK << 4, 2, id >> 8, id & 0xff);
}

export function subscribe(id: number, filter: string, qos: 0 | 1): Uint8Array {
  return packet((TYPE.SUBSCRIBE << 4) | 0x02, [u16(id), str(filter), Uint8Array.of(qos)]);
}

export const PINGREQ = Uint8Array.of(TYPE.PINGREQ << 4, 0);
export const DISCONNECT = Uint8Array.of(TYPE.DISCONNECT << 4, 0);

export type Incoming =
  | { type: typeof TYPE.CONNACK; sessionPresent: boolean; code: number }
  | { type: typeof TYPE.PUBLISH; topic: string; payload: Uint8Array; qos: number; id: number }
  | { type: typeof TYPE.PUBACK | typeof TYPE.SUBACK; id: number; granted?: number }
  | { type: typeof TYPE.PINGRESP }
  | { type: "other"; code: number };

const dec = new TextDecoder();

/** Decodes one packet's body (after the fixed header); undefined when it is malformed. */
function decodeBody(first: number, b: Uint8Array): Incoming | undefined {
  const type = first >> 4;
  const view = (i: number) => (b[i]! << 8) | b[i + 1]!;
  switch (type) {
    case TYPE.CONNACK:
      return b.length >= 2 ? { type, sessionPresent: (b[0]! & 1) === 1, code: b[1]! } : undefined;
    case TYPE.PUBLISH: {
      if (b.length < 2) return undefined;
      const tlen = view(0);
      const qos = (first >> 1) & 3;
      const idEnd = 2 + tlen + (qos > 0 ? 2 : 0);
      if (qos > 1 || b.length < idEnd) return undefined;
      return { type, topic: dec.decode(b.subarray(2, 2 + tlen)), qos, id: qos > 0 ? view(2 + tlen) : 0, payload: b.subarray(idEnd) };
    }
    case TYPE.PUBACK:
      return b.length >= 2 ? { type, id: view(0) } : undefined;
    case TYPE.SUBACK:
      return b.length >= 3 ? { type, id: view(0), granted: b[2]! } : undefined;
    case TYPE.PINGRESP:
      return { type };
    default:
      return { type: "other", code: type };
  }
}

/** Splits a byte stream into packets; bounded: a packet over `maxBytes` is a protocol error. */
export class PacketReader {
  private buf = new Uint8Array(0);
  constructor(private readonly maxBytes = 1024 * 1024) {}

  /** Appends bytes and returns the complete packets; throws on a malformed or oversize one. */
  push(chunk: Uint8Array): Incoming[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf, 0);
    joined.set(chunk, this.buf.length);
    const out: Incoming[] = [];
    let o = 0;
    for (;;) {
      if (joined.length - o < 2) break;
      let len = 0;
      let mult = 1;
      let i = o + 1;
      let complete = false;
      for (let n = 0; n < 4 && i < joined.length; n++, i++) {
        len += (joined[i]! & 0x7f) * mult;
        mult *= 128;
        if ((joined[i]! & 0x80) === 0) {
          complete = true;
          i++;
          break;
        }
      }
      if (!complete) {
        if (i - o - 1 >= 4) throw new Error("malformed remaining length");
        break;
      }
      if (len > this.maxBytes) throw new Error(`packet of ${len} bytes exceeds ${this.maxBytes}`);
      if (joined.length - i < len) break;
      const p = decodeBody(joined[o]!, joined.subarray(i, i + len));
      if (!p) throw new Error("malformed packet");
      out.push(p);
      o = i + len;
    }
    this.buf = joined.slice(o);
    return out;
  }
}
