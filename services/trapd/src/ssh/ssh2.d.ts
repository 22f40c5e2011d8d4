// The part of ssh2 (https://github.com/mscdex/ssh2, v1.17) trapd uses. @types/ssh2 is not
// installed on purpose (it pins an old @types/node), so these are written from ssh2's README.
declare module "ssh2" {
  import type { EventEmitter } from "node:events";
  import type { Socket } from "node:net";

  export interface ParsedKey {
    type: string;
    getPublicSSH(): Buffer;
  }

  export interface ClientInfo {
    ip: string;
    family: string;
    port: number;
    header: { identRaw: string; versions: { protocol: string; software: string }; comments?: string };
  }

  export interface AuthContextBase {
    username: string;
    service: string;
    accept(): void;
    reject(methods?: string[], isPartial?: boolean): void;
    on(event: "abort", listener: () => void): this;
  }
  export interface NoneAuthContext extends AuthContextBase {
    method: "none" | "hostbased";
  }
  export interface PasswordAuthContext extends AuthContextBase {
    method: "password";
    password: string;
  }
  export interface PublicKeyAuthContext extends AuthContextBase {
    method: "publickey";
    key: { algo: string; data: Buffer };
    signature?: Buffer;
  }
  export interface KeyboardInteractiveAuthContext extends AuthContextBase {
    method: "keyboard-interactive";
    submethods: string[];
    prompt(prompts: { prompt: string; echo?: boolean }[], title: string, instructions: string, callback: (answers: string[]) => void): void;
  }
  export type AuthContext = NoneAuthContext | PasswordAuthContext | PublicKeyAuthContext | KeyboardInteractiveAuthContext;

  /** A channel of a session (shell, exec, subsystem): a duplex stream with an exit status. */
  export interface ServerChannel extends EventEmitter {
    write(data: string | Buffer): boolean;
    end(data?: string | Buffer): this;
    exit(status: number): void;
    close(): void;
    stderr: { write(data: string | Buffer): boolean };
    on(event: "data", listener: (data: Buffer) => void): this;
    on(event: "close" | "end" | "finish" | "error", listener: (...a: unknown[]) => void): this;
  }
  export interface PtyInfo {
    cols: number;
    rows: number;
    width: number;
    height: number;
    term: string;
  }
  export type Accept<T = void> = (() => T) | undefined;
  export type Reject = (() => void) | undefined;

  export interface SftpServer extends EventEmitter {
    handle(reqid: number, handle: Buffer): void;
    status(reqid: number, code: number, message?: string): void;
    name(reqid: number, names: { filename: string; longname: string; attrs: Record<string, number> }[]): void;
    attrs(reqid: number, attrs: { mode?: number; uid?: number; gid?: number; size?: number; atime?: number; mtime?: number }): void;
    on(event: "OPEN", listener: (reqid: number, filename: string, flags: number, attrs: unknown) => void): this;
    on(event: "WRITE", listener: (reqid: number, handle: Buffer, offset: number, data: Buffer) => void): this;
    on(event: "CLOSE" | "FSTAT" | "READDIR", listener: (reqid: number, handle: Buffer) => void): this;
    on(event: "FSETSTAT", listener: (reqid: number, handle: Buffer, attrs: unknown) => void): this;
    on(event: "SETSTAT", listener: (reqid: number, path: string, attrs: unknown) => void): this;
    on(event: "REALPATH" | "STAT" | "LSTAT" | "OPENDIR" | "REMOVE" | "RMDIR" | "MKDIR" | "READLINK", listener: (reqid: number, path: string) => void): this;
    on(event: "READ", listener: (reqid: number, handle: Buffer, offset: number, length: number) => void): this;
    on(event: "RENAME", listener: (reqid: number, from: string, to: string) => void): this;
    on(event: "end" | "close" | "error", listener: (...a: unknown[]) => void): this;
  }

  export interface Session extends EventEmitter {
    on(event: "pty", listener: (accept: Accept, reject: Reject, info: PtyInfo) => void): this;
    on(event: "window-change" | "env" | "signal" | "auth-agent" | "x11", listener: (accept: Accept, reject: Reject, info: unknown) => void): this;
    on(event: "shell", listener: (accept: () => ServerChannel, reject: Reject) => void): this;
    on(event: "exec", listener: (accept: () => ServerChannel, reject: Reject, info: { command: string }) => void): this;
    on(event: "sftp", listener: (accept: () => SftpServer, reject: Reject) => void): this;
    on(event: "subsystem", listener: (accept: () => ServerChannel, reject: Reject, info: { name: string }) => void): this;
    on(event: "close", listener: () => void): this;
  }

  export interface Connection extends EventEmitter {
    on(event: "authentication", listener: (ctx: AuthContext) => void): this;
    on(event: "session", listener: (accept: () => Session, reject: () => void) => void): this;
    on(event: "tcpip", listener: (accept: () => unknown, reject: () => void, info: { destIP: string; destPort: number; srcIP: string; srcPort: number }) => void): this;
    on(event: "request", listener: (accept: Accept, reject: Reject, name: string, info: unknown) => void): this;
    on(event: "error", listener: (err: Error) => void): this;
    on(event: "close" | "end" | "ready", listener: () => void): this;
    end(): this;
  }

  export interface ServerConfig {
    hostKeys: (string | Buffer)[];
    ident?: string;
    banner?: string;
    greeting?: string;
    keepaliveInterval?: number;
    highWaterMark?: number;
    debug?: (msg: string) => void;
  }

  export class Server extends EventEmitter {
    constructor(config: ServerConfig, connectionListener?: (client: Connection, info: ClientInfo) => void);
    /** Hands an accepted socket to the SSH server (we own the listener, for admission and caps). */
    injectSocket(socket: Socket): void;
  }

  /** The client side, used by bench/traps to drive full handshakes. */
  export class Client extends EventEmitter {
    connect(config: { host: string; port: number; username: string; password?: string; readyTimeout?: number; tryKeyboard?: boolean }): this;
    /** An interactive shell (with a pty when `window` is given): used by bench/traps. */
    shell(window: { term?: string; rows?: number; cols?: number }, cb: (err: Error | undefined, stream: NodeJS.ReadWriteStream & EventEmitter) => void): boolean;
    end(): this;
  }

  export const utils: {
    sftp: { STATUS_CODE: Record<"OK" | "EOF" | "NO_SUCH_FILE" | "PERMISSION_DENIED" | "FAILURE" | "OP_UNSUPPORTED", number>; OPEN_MODE: Record<"READ" | "WRITE" | "APPEND" | "CREAT" | "TRUNC" | "EXCL", number> };
    generateKeyPairSync(type: "ed25519"): { private: string; public: string };
    parseKey(data: string | Buffer, passphrase?: string): ParsedKey | ParsedKey[] | Error;
  };
}
