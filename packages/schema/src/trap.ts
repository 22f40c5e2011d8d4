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

/** Where an interactive trap session pointed: URLs and hosts from wget, curl, tftp, ftpget, scp, /dev/tcp. */
export const TrapIndicators = Type.Object({
  urls: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 16 }),
  hosts: Type.Array(Type.String({ maxLength: 253 }), { maxItems: 16 }),
});
export type TrapIndicators = Static<typeof TrapIndicators>;

export const PERSISTENCE_KINDS = ["authorized_key", "crontab", "startup", "account"] as const;
/** Something the attacker did to come back (in the trap's fake file tree; nothing real changed). */
export const PersistenceItem = Type.Object({
  kind: Type.Union(PERSISTENCE_KINDS.map((k) => Type.Literal(k))),
  /** The file written (or the command, for crontab -/useradd). */
  path: Type.String({ maxLength: 256 }),
  /** The line written (a key's comment and type, a cron line), shortened. */
  detail: Type.String({ maxLength: 256 }),
  /** OpenSSH form, SHA256:<base64>, for authorized_keys lines. */
  key_fingerprint: Type.Optional(Type.String({ maxLength: 128 })),
});
export type PersistenceItem = Static<typeof PersistenceItem>;

/** A file the attacker uploaded or dropped: hashed, and kept in trapd's quarantine when within its caps. */
export const CapturedFile = Type.Object({
  sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
  size: Type.Integer({ minimum: 0 }),
  /** Where the attacker put it (path in the fake tree). */
  name: Type.String({ maxLength: 256 }),
  via: Type.Union([Type.Literal("sftp"), Type.Literal("scp"), Type.Literal("dropper"), Type.Literal("redirect")]),
  /** Whether the bytes are in quarantine (false: over a cap, only the hash is known). */
  stored: Type.Boolean(),
});
export type CapturedFile = Static<typeof CapturedFile>;

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
  /** When each command was entered, ms after started_at (same order as commands). */
  command_at: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 64 })),
  indicators: Type.Optional(TrapIndicators),
  persistence: Type.Optional(Type.Array(PersistenceItem, { maxItems: 8 })),
  files: Type.Optional(Type.Array(CapturedFile, { maxItems: 8 })),
  /** The session's asciinema v2 transcript, a file name under <state_dir>/trapd/transcripts/. */
  transcript: Type.Optional(Type.String({ maxLength: 128, pattern: "^[A-Za-z0-9_.-]+$" })),
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
