import { LineReader } from "../core/line-reader.ts";
import type { ProtocolFactory } from "../core/tcp-trap.ts";
import type { CredentialPolicy } from "../shell/credential-policy.ts";
import { ShellSession, type ShellDeps } from "../shell/shell-session.ts";

// RFC 854 command bytes.
const IAC = 255, SB = 250, SE = 240, WILL = 251, WONT = 252, DO = 253, DONT = 254;
// What Debian's telnetd asks first (terminal type, speed, X display, new environ; RFC 1091/1079/1096/1572).
const NEGOTIATION = Uint8Array.from([IAC, DO, 24, IAC, DO, 32, IAC, DO, 35, IAC, DO, 39]);
const MAX_TRIES = 3;
const PROMPT_AFTER_MS = 1_500;

/** Removes telnet commands (IAC …, subnegotiations) from the data stream, across chunk boundaries. */
export class IacFilter {
  private state: "data" | "iac" | "opt" | "sb" | "sb_iac" = "data";

  filter(chunk: Uint8Array): Uint8Array {
    const out = new Uint8Array(chunk.length);
    let n = 0;
    for (const b of chunk) {
      switch (this.state) {
        case "data":
          if (b === IAC) this.state = "iac";
          else if (b !== 0) out[n++] = b; // CR NUL (RFC 854) → CR
          break;
        case "iac":
          if (b === IAC) {
            out[n++] = b;
            this.state = "data";
          } else if (b === SB) this.state = "sb";
          else if (b === WILL || b === WONT || b === DO || b === DONT) this.state = "opt";
          else this.state = "data";
          break;
        case "opt":
          this.state = "data";
          break;
        case "sb":
          if (b === IAC) this.state = "sb_iac";
          break;
        case "sb_iac":
          this.state = b === SE ? "data" : "sb";
          break;
      }
    }
    return out.subarray(0, n);
  }
}

/**
 * Debian-like telnet login: "<host> login:" / "Password:". A login the credential policy accepts
 * gets the fake shell (what Mirai-style bots then type: enable, system, shell, sh,
 * /bin/busybox <X>); every other attempt is refused after a delay.
 */
export function telnetTrap(banner: string, host = "debian", login?: { policy: CredentialPolicy; shell: ShellDeps }): ProtocolFactory {
  return (io) => {
    const iac = new IacFilter();
    const lines = new LineReader(io.limits.maxLine);
    let prompted = false;
    let state: "login" | "password" | "wait" | "shell" = "login";
    let sh: ShellSession | undefined;
    let user = "";
    let tries = 0;
    const prompt = () => {
      if (prompted) return;
      prompted = true;
      io.write(`${banner}\r\n${host} login: `);
    };
    io.write(NEGOTIATION);
    io.rec.later(PROMPT_AFTER_MS, prompt);

    const onLine = (text: string) => {
      if (state === "shell" && sh) {
        const out = sh.line(text, true);
        if (out) io.write(Buffer.from(out, "latin1"));
        if (sh.exited) io.close();
        return;
      }
      io.rec.command(text);
      if (state === "login") {
        if (!text) return io.write(`${host} login: `);
        user = text;
        state = "password";
        io.write("Password: ");
      } else if (state === "password") {
        io.rec.credential({ method: "password", username: user, password: text });
        state = "wait";
        const password = text;
        io.rec.later(io.limits.authDelayMs, () => {
          if (login?.policy.check(io.rec.at.src, user, password)) {
            io.rec.setMeta("login", user);
            state = "shell";
            sh = new ShellSession(login.shell, io.rec, user, { echo: false, crlf: true, width: 80, height: 24 });
            io.write(Buffer.from(`\r\n${sh.greeting()}`, "latin1"));
            return;
          }
          io.write("\r\nLogin incorrect\r\n");
          if (++tries >= MAX_TRIES) return io.close();
          state = "login";
          io.write(`${host} login: `);
        });
      }
    };
    return {
      data(chunk) {
        const clean = iac.filter(chunk);
        prompt();
        if (clean.length === 0) return;
        const got = lines.push(clean);
        if (got === "line_cap") return io.cut("line_cap");
        for (const l of got) onLine(l.toString("utf8"));
      },
    };
  };
}
