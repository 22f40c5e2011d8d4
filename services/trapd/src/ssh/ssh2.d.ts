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

  export interface Connection extends EventEmitter {
    on(event: "authentication", listener: (ctx: AuthContext) => void): this;
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
    end(): this;
  }

  export const utils: {
    generateKeyPairSync(type: "ed25519"): { private: string; public: string };
    parseKey(data: string | Buffer, passphrase?: string): ParsedKey | ParsedKey[] | Error;
  };
}
