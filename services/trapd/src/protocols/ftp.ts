import { LineReader } from "../core/line-reader.ts";
import type { ProtocolFactory } from "../core/tcp-trap.ts";

const MAX_FAILS = 3; // vsftpd's max_login_fails default
const FEATURES = "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n211 End\r\n";

/** vsftpd-like pre-login FTP (RFC 959): USER/PASS captured, every login refused after a delay. */
export function ftpTrap(banner: string): ProtocolFactory {
  const greeting = /^\d{3}[ -]/.test(banner) ? banner : `220 ${banner}`;
  return (io) => {
    const lines = new LineReader(io.limits.maxLine);
    let user: string | undefined;
    let fails = 0;
    let waiting = false;
    io.write(`${greeting}\r\n`);

    const onLine = (text: string) => {
      if (!text.trim()) return;
      io.rec.command(text);
      const sp = text.indexOf(" ");
      const verb = (sp < 0 ? text : text.slice(0, sp)).toUpperCase();
      const arg = sp < 0 ? "" : text.slice(sp + 1);
      if (waiting) return; // vsftpd does not read while it sleeps on a failed login
      switch (verb) {
        case "USER":
          user = arg;
          return io.write("331 Please specify the password.\r\n");
        case "PASS":
          if (user === undefined) return io.write("503 Login with USER first.\r\n");
          io.rec.credential({ method: "password", username: user, password: arg });
          user = undefined;
          waiting = true;
          return io.rec.later(io.limits.authDelayMs, () => {
            waiting = false;
            io.write("530 Login incorrect.\r\n");
            if (++fails >= MAX_FAILS) io.close();
          });
        case "QUIT":
          io.write("221 Goodbye.\r\n");
          return io.close();
        case "FEAT":
          return io.write(FEATURES);
        case "OPTS":
          return io.write(/^utf8 on$/i.test(arg) ? "200 Always in UTF8 mode.\r\n" : "501 Option not understood.\r\n");
        case "NOOP":
          return io.write("200 NOOP ok.\r\n");
        default:
          return io.write("530 Please login with USER and PASS.\r\n");
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
