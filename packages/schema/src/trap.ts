import { Type, type Static } from "@sinclair/typebox";

export const TRAP_SERVICES = ["ssh", "telnet", "ftp", "http", "smtp", "redis", "mysql", "generic"] as const;
export const TrapService = Type.Union(TRAP_SERVICES.map((s) => Type.Literal(s)));
export type TrapService = Static<typeof TrapService>;

const Addr = Type.String({ minLength: 2, maxLength: 64 });
const Port = Type.Integer({ minimum: 0, maximum: 65535 });

/** First contact with a trap (`hm/v1/trapd/hit`): published at once, so a ban need not wait for the session's end. */
export const TrapHit = Type.Object({
  session_id: Type.String({ minLength: 8, maxLength: 64 }),
  service: TrapService,
  src: Addr,
  src_port: Port,
  dst_port: Port,
  at: Type.Integer({ minimum: 0 }),
});
export type TrapHit = Static<typeof TrapHit>;

export const Credential = Type.Object({
  method: Type.Union([Type.Literal("password"), Type.Literal("publickey"), Type.Literal("keyboard-interactive"), Type.Literal("other")]),
  username: Type.String({ maxLength: 256 }),
  /** The password as typed (a trap's evidence); absent for public keys. */
  password: Type.Optional(Type.String({ maxLength: 256 })),
  /** Public-key fingerprint (SHA256:...) when method is publickey. */
  key_fingerprint: Type.Optional(Type.String({ maxLength: 128 })),
});
export type Credential = Static<typeof Credential>;

/** A closed trap session (`hm/v1/trapd/session`). Bounded so it always fits one bus message. */
export const TrapSession = Type.Object({
  session_id: Type.String({ minLength: 8, maxLength: 64 }),
  service: TrapService,
  src: Addr,
  src_port: Port,
  dst: Addr,
  dst_port: Port,
  started_at: Type.Integer({ minimum: 0 }),
  ended_at: Type.Integer({ minimum: 0 }),
  bytes_in: Type.Integer({ minimum: 0 }),
  bytes_out: Type.Integer({ minimum: 0 }),
  credentials: Type.Array(Credential, { maxItems: 64 }),
  commands: Type.Array(Type.String({ maxLength: 512 }), { maxItems: 64 }),
  /** First bytes received (default 4 KiB), base64. */
  payload_b64: Type.String({ maxLength: 11_000 }),
  /** Shannon entropy of everything received, bits per byte (0..8). */
  entropy: Type.Number({ minimum: 0, maximum: 8 }),
  /** Service facts: client_version, hassh, user_agent, method, path, … */
  meta: Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: 512 }), { maxProperties: 16 }),
  /** Why it ended: closed, idle_timeout, total_timeout, byte_cap, line_cap, error. */
  end_reason: Type.String({ maxLength: 32 }),
});
export type TrapSession = Static<typeof TrapSession>;

/**
 * What goes on `hm/v1/trapd/session`: closed sessions in batches (one signature for many, which
 * the bus allows where it buys speed). trapd keeps a batch under the bus's 64 KiB message limit.
 */
export const TrapSessionBatch = Type.Object({
  sessions: Type.Array(TrapSession, { minItems: 1, maxItems: 64 }),
});
export type TrapSessionBatch = Static<typeof TrapSessionBatch>;
