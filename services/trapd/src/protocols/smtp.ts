import { LineReader } from "../core/line-reader.ts";
import type { ProtocolFactory } from "../core/tcp-trap.ts";

const MAX_ERRORS = 10; // Postfix smtpd_hard_error_limit is 20; a trap can give up sooner

function hostOf(banner: string): string {
  return /^(?:220[ -])?(\S+)/.exec(banner)?.[1] ?? "mail.example.com";
}

const b64 = (s: string) => Buffer.from(s.trim(), "base64").toString("utf8");

/** Postfix-like SMTP (RFC 5321, AUTH per RFC 4954): EHLO and AUTH PLAIN/LOGIN captured, relay refused. */
export function smtpTrap(banner: string): ProtocolFactory {
  const greeting = /^\d{3}[ -]/.test(banner) ? banner : `220 ${banner}`;
  const host = hostOf(banner);
  const ehlo = [`250-${host}`, "250-PIPELINING", "250-SIZE 10240000", "250-VRFY", "250-ETRN", "250-AUTH PLAIN LOGIN", "250-ENHANCEDSTATUSCODES", "250-8BITMIME", "250-DSN", "250 SMTPUTF8"].join("\r\n") + "\r\n";
  return (io) => {
    const lines = new LineReader(io.limits.maxLine);
    let state: "cmd" | "login_user" | "login_pass" | "plain" | "wait" = "cmd";
    let user = "";
    let errors = 0;
    io.write(`${greeting}\r\n`);

    const authFailed = () => {
      state = "wait";
      io.rec.later(io.limits.authDelayMs, () => {
        state = "cmd";
        io.write("535 5.7.8 Error: authentication failed: authentication failure\r\n");
      });
    };
    const error = (reply: string) => {
      io.write(reply);
      if (++errors >= MAX_ERRORS) {
        io.write("421 4.7.0 Error: too many errors\r\n");
        io.close();
      }
    };
    const plain = (resp: string) => {
      // RFC 4616: authzid NUL authcid NUL passwd
      const [, u = "", p = ""] = b64(resp).split("\0");
      io.rec.credential({ method: "password", username: u, password: p });
      authFailed();
    };
    const onLine = (text: string) => {
      if (state === "plain") return plain(text);
      if (state === "login_user") {
        user = b64(text);
        state = "login_pass";
        return io.write("334 UGFzc3dvcmQ6\r\n"); // "Password:"
      }
      if (state === "login_pass") {
        io.rec.credential({ method: "password", username: user, password: b64(text) });
        return authFailed();
      }
      io.rec.command(text);
      if (state === "wait") return;
      const [verbRaw = "", ...rest] = text.split(" ");
      const verb = verbRaw.toUpperCase();
      switch (verb) {
        case "EHLO":
          io.rec.setMeta("helo", rest.join(" "));
          return io.write(ehlo);
        case "HELO":
          io.rec.setMeta("helo", rest.join(" "));
          return io.write(`250 ${host}\r\n`);
        case "AUTH": {
          const mech = (rest[0] ?? "").toUpperCase();
          if (mech === "PLAIN" && rest[1]) return plain(rest[1]);
          if (mech === "LOGIN") {
            if (rest[1]) {
              user = b64(rest[1]);
              state = "login_pass";
              return io.write("334 UGFzc3dvcmQ6\r\n");
            }
            state = "login_user";
            return io.write("334 VXNlcm5hbWU6\r\n"); // "Username:"
          }
          if (mech === "PLAIN") {
            state = "plain";
            return io.write("334 \r\n");
          }
          return error("535 5.7.8 Error: authentication failed: Invalid authentication mechanism\r\n");
        }
        case "MAIL":
          return io.write("250 2.1.0 Ok\r\n");
        case "RCPT":
          return error(`554 5.7.1 ${/<[^>]*>/.exec(text)?.[0] ?? "<>"}: Relay access denied\r\n`);
        case "DATA":
          return error("554 5.5.1 Error: no valid recipients\r\n");
        case "RSET":
        case "NOOP":
          return io.write("250 2.0.0 Ok\r\n");
        case "VRFY":
          return io.write("252 2.0.0 Send some mail, I'll try my best\r\n");
        case "STARTTLS":
          return error("502 5.5.1 Error: command not implemented\r\n");
        case "QUIT":
          io.write("221 2.0.0 Bye\r\n");
          return io.close();
        default:
          return error("502 5.5.2 Error: command not recognized\r\n");
      }
    };
    return {
      data(chunk) {
        const got = lines.push(chunk);
        if (got === "line_cap") return io.cut("line_cap");
        for (const l of got) onLine(l.toString("utf8"));
      },
    };
  };
}
