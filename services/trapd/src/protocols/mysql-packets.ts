import { randomBytes } from "node:crypto";

// Capability flags (https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html).
export const CLIENT = {
  CONNECT_WITH_DB: 0x8,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  SECURE_CONNECTION: 0x8000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
} as const;
/** What MySQL 8.0 offers, without COMPRESS (0x20) and SSL (0x800). */
const SERVER_CAPS = 0x01fff7df;
const PLUGIN = "caching_sha2_password";

export function packet(seq: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = seq & 0xff;
  return Buffer.concat([head, payload]);
}

/** Protocol::HandshakeV10, the server's first packet. */
export function handshakeV10(version: string, threadId: number): { wire: Buffer; scramble: Buffer } {
  const scramble = Buffer.from(randomBytes(20).map((b) => (b % 94) + 33)); // printable, no NUL, as MySQL does
  const fixed = Buffer.alloc(4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10);
  let o = 0;
  o = fixed.writeUInt32LE(threadId >>> 0, o);
  scramble.copy(fixed, o, 0, 8);
  o += 8;
  fixed[o++] = 0; // filler
  o = fixed.writeUInt16LE(SERVER_CAPS & 0xffff, o);
  fixed[o++] = 255; // utf8mb4_0900_ai_ci
  o = fixed.writeUInt16LE(0x0002, o); // SERVER_STATUS_AUTOCOMMIT
  o = fixed.writeUInt16LE(SERVER_CAPS >>> 16, o);
  fixed[o++] = 21; // length of the auth plugin data
  const payload = Buffer.concat([Buffer.from([10]), Buffer.from(`${version}\0`, "latin1"), fixed, scramble.subarray(8), Buffer.from([0]), Buffer.from(`${PLUGIN}\0`)]);
  return { wire: packet(0, payload), scramble };
}

export function errPacket(seq: number, code: number, state: string, message: string): Buffer {
  const head = Buffer.alloc(3);
  head[0] = 0xff;
  head.writeUInt16LE(code, 1);
  return packet(seq, Buffer.concat([head, Buffer.from(`#${state}${message}`, "utf8")]));
}

export interface HandshakeResponse {
  ssl: boolean;
  user: string;
  authResponse: Buffer;
  database?: string;
  plugin?: string;
  attrs: Record<string, string>;
}

/** A bounds-checked reader: every read past the end yields undefined instead of throwing. */
class Reader {
  constructor(
    private readonly b: Buffer,
    public p = 0,
  ) {}
  get left(): number {
    return this.b.length - this.p;
  }
  u8(): number | undefined {
    return this.p < this.b.length ? this.b[this.p++] : undefined;
  }
  bytes(n: number): Buffer | undefined {
    if (n < 0 || this.p + n > this.b.length) return undefined;
    const out = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return out;
  }
  cstr(): string | undefined {
    const end = this.b.indexOf(0, this.p);
    if (end < 0) return undefined;
    const s = this.b.toString("utf8", this.p, end);
    this.p = end + 1;
    return s;
  }
  /** Length-encoded integer (protocol basics, "Protocol::LengthEncodedInteger"). */
  lenenc(): number | undefined {
    const f = this.u8();
    if (f === undefined || f === 0xff || f === 0xfb) return undefined;
    if (f < 0xfb) return f;
    const n = f === 0xfc ? 2 : f === 0xfd ? 3 : 8;
    const raw = this.bytes(n);
    if (!raw) return undefined;
    const v = n === 8 ? Number(raw.readBigUInt64LE()) : raw.readUIntLE(0, n);
    return Number.isSafeInteger(v) ? v : undefined;
  }
  lenencStr(): string | undefined {
    const n = this.lenenc();
    return n === undefined ? undefined : this.bytes(n)?.toString("utf8");
  }
}

/** Protocol::HandshakeResponse41 (or an SSLRequest); undefined when malformed. */
export function parseHandshakeResponse(payload: Buffer): HandshakeResponse | undefined {
  if (payload.length < 32) return undefined;
  const caps = payload.readUInt32LE(0);
  if (!(caps & CLIENT.PROTOCOL_41)) return undefined;
  if (payload.length === 32 && caps & CLIENT.SSL) return { ssl: true, user: "", authResponse: Buffer.alloc(0), attrs: {} };
  const r = new Reader(payload, 32);
  const user = r.cstr();
  if (user === undefined) return undefined;
  let auth: Buffer | undefined;
  if (caps & CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA) {
    const n = r.lenenc();
    auth = n === undefined ? undefined : r.bytes(n);
  } else if (caps & CLIENT.SECURE_CONNECTION) {
    const n = r.u8();
    auth = n === undefined ? undefined : r.bytes(n);
  } else {
    const s = r.cstr();
    auth = s === undefined ? undefined : Buffer.from(s);
  }
  const out: HandshakeResponse = { ssl: false, user, authResponse: auth ?? Buffer.alloc(0), attrs: {} };
  if (caps & CLIENT.CONNECT_WITH_DB && r.left) out.database = r.cstr();
  if (caps & CLIENT.PLUGIN_AUTH && r.left) out.plugin = r.cstr();
  if (caps & CLIENT.CONNECT_ATTRS && r.left) {
    const total = r.lenenc() ?? 0;
    const block = r.bytes(Math.min(total, r.left));
    if (block) {
      const a = new Reader(block);
      while (a.left > 0 && Object.keys(out.attrs).length < 32) {
        const k = a.lenencStr();
        const v = a.lenencStr();
        if (k === undefined || v === undefined) break;
        out.attrs[k] = v;
      }
    }
  }
  return out;
}
