import type { ProtocolFactory, TrapIO } from "../core/tcp-trap.ts";
import { RespReader } from "./resp-reader.ts";

const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const array = (items: string[]) => `*${items.length}\r\n${items.map(bulk).join("")}`;

function info(version: string): string {
  return [
    "# Server",
    `redis_version:${version}`,
    "redis_git_sha1:00000000",
    "redis_git_dirty:0",
    "redis_mode:standalone",
    "os:Linux 6.1.0-18-amd64 x86_64",
    "arch_bits:64",
    "tcp_port:6379",
    "",
    "# Clients",
    "connected_clients:1",
    "",
    "# Replication",
    "role:master",
    "connected_slaves:0",
    "",
  ].join("\r\n");
}

/** Plausible replies to what attackers send a Redis (persistence tricks, replication, modules). */
function reply(io: TrapIO, args: string[], version: string): void {
  const cmd = (args[0] ?? "").toLowerCase();
  const sub = (args[1] ?? "").toLowerCase();
  switch (cmd) {
    case "ping":
      return io.write(args[1] ? bulk(args[1]) : "+PONG\r\n");
    case "info":
      return io.write(bulk(info(version)));
    case "auth":
      io.rec.credential({ method: "password", username: args.length > 2 ? args[1]! : "default", password: args[args.length - 1] ?? "" });
      return io.write("-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n");
    case "config":
      if (sub === "get") return io.write(array(args[2] === "dir" ? ["dir", "/var/lib/redis"] : args[2] === "dbfilename" ? ["dbfilename", "dump.rdb"] : []));
      return io.write("+OK\r\n");
    case "slaveof":
    case "replicaof":
    case "set":
    case "save":
    case "bgsave":
    case "flushall":
    case "flushdb":
    case "select":
      return io.write("+OK\r\n");
    case "get":
      // nmap's GetRequest probe ("GET / HTTP/1.0") is identified by exactly this reply.
      return io.write(args.length === 2 ? "$-1\r\n" : "-ERR wrong number of arguments for 'get' command\r\n");
    case "keys":
    case "command":
      return io.write("*0\r\n");
    case "dbsize":
      return io.write(":0\r\n");
    case "module":
      return io.write(sub === "load" ? "-ERR Error loading the extension. Please check the server logs.\r\n" : "*0\r\n");
    case "eval":
      return io.write("-ERR user_script:1: Script attempted to access nonexistent global variable\r\n");
    case "quit":
      io.write("+OK\r\n");
      return io.close();
    default: {
      const rest = args.slice(1, 4).map((a) => `'${a}'`).join(" ");
      return io.write(`-ERR unknown command '${args[0] ?? ""}', with args beginning with: ${rest}\r\n`);
    }
  }
}

/** A Redis that accepts anything without auth, as the exposed ones do. Captures every command. */
export function redisTrap(version: string): ProtocolFactory {
  return (io) => {
    const resp = new RespReader(io.limits.maxLine);
    return {
      data(chunk) {
        const got = resp.push(chunk);
        if (got === "line_cap") return io.cut("line_cap");
        if (got === "protocol") {
          io.write("-ERR Protocol error: invalid multibulk length\r\n");
          return io.close();
        }
        for (const c of got) {
          const args = c.map((a) => a.toString("utf8"));
          io.rec.command(args.join(" "));
          const first = (args[0] ?? "").toLowerCase();
          // Redis drops connections that look like HTTP (cross-protocol scripting defence).
          if (first === "post" || first === "host:") return io.close();
          reply(io, args, version);
        }
      },
    };
  };
}
