import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { NotifyError } from "./errors.ts";

export interface SmtpOptions {
  host: string;
  port: number;
  /** starttls: plain, then STARTTLS (RFC 3207), refused if the server does not offer it; tls: implicit TLS (RFC 8314); none: plain. */
  tls: "starttls" | "tls" | "none";
  user: string;
  password: string;
  from: string;
  to: readonly string[];
  timeoutMs: number;
  /** Extra CA certificates (PEM) to trust, e.g. a private relay's; the system's are trusted too. */
  ca?: string;
  heloName?: string;
}

/** Reads SMTP replies (RFC 5321 §4.2: `250-…` continues, `250 …` ends) from a socket, bounded. */
class Replies {
  private buf = "";
  private waiting: (() => void) | undefined;
  private error: Error | undefined;
  constructor(private sock: Socket | TLSSocket) {
    this.attach(sock);
  }
  attach(sock: Socket | TLSSocket): void {
    this.sock = sock;
    sock.setEncoding("utf8");
    sock.on("data", (d: string) => {
      this.buf += d;
      if (this.buf.length > 65_536) this.fail(new NotifyError("NOTIFY_SMTP", "SMTP reply too long"));
      this.waiting?.();
    });
    sock.on("error", (e) => this.fail(new NotifyError("NOTIFY_SMTP", `SMTP connection: ${e.message}`)));
    sock.on("close", () => this.fail(new NotifyError("NOTIFY_SMTP", "SMTP server closed the connection")));
  }
  private fail(e: Error): void {
    this.error ??= e;
    this.waiting?.();
  }
  async read(): Promise<{ code: number; text: string }> {
    for (;;) {
      const lines = this.buf.split("\r\n");
      for (let i = 0; i < lines.length - 1; i++) {
        if (/^\d{3} /.test(lines[i]!) || /^\d{3}$/.test(lines[i]!)) {
          const text = lines.slice(0, i + 1).join("\n");
          this.buf = lines.slice(i + 1).join("\r\n");
          return { code: Number(lines[i]!.slice(0, 3)), text };
        }
      }
      if (this.error) throw this.error;
      await new Promise<void>((r) => (this.waiting = r));
      this.waiting = undefined;
    }
  }
  detach(): void {
    this.sock.removeAllListeners("data");
    this.sock.removeAllListeners("error");
    this.sock.removeAllListeners("close");
  }
}

function waitConnect(sock: Socket | TLSSocket, event: "connect" | "secureConnect"): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.once(event, () => resolve());
    sock.once("error", (e) => reject(new NotifyError("NOTIFY_SMTP", `SMTP connect: ${e.message}`)));
  });
}

/** RFC 5322 text: CRLF lines, dot-stuffed (RFC 5321 §4.5.2); header values cannot break lines. */
export function formatMessage(from: string, to: readonly string[], subject: string, text: string, date = new Date()): string {
  const clean = (s: string) => s.replace(/[\r\n]+/g, " ").slice(0, 200);
  const head = [`From: ${clean(from)}`, `To: ${to.map(clean).join(", ")}`, `Subject: ${clean(subject)}`, `Date: ${date.toUTCString()}`, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"];
  const body = text.replace(/\r?\n/g, "\r\n").split("\r\n").map((l) => (l.startsWith(".") ? `.${l}` : l));
  return [...head, "", ...body].join("\r\n");
}

/** Sends one plain-text mail. Throws NotifyError (retry = false for a 5xx answer). */
export async function sendMail(o: SmtpOptions, subject: string, text: string): Promise<void> {
  let sock: Socket | TLSSocket = o.tls === "tls" ? tlsConnect({ host: o.host, port: o.port, servername: o.host, ca: o.ca ? [o.ca] : undefined }) : netConnect({ host: o.host, port: o.port });
  const timer = setTimeout(() => sock.destroy(new Error(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
  try {
    await waitConnect(sock, o.tls === "tls" ? "secureConnect" : "connect");
    const r = new Replies(sock);
    const expect = async (want: number, what: string) => {
      const a = await r.read();
      if (Math.floor(a.code / 100) !== Math.floor(want / 100)) throw new NotifyError("NOTIFY_SMTP", `SMTP ${what}: ${a.text.slice(0, 200)}`, a.code < 500);
      return a;
    };
    const send = (line: string) => sock.write(`${line}\r\n`);
    await expect(220, "greeting");
    const helo = o.heloName ?? "honeymesh";
    send(`EHLO ${helo}`);
    let ehlo = await expect(250, "EHLO");
    if (o.tls === "starttls") {
      if (!/STARTTLS/i.test(ehlo.text)) throw new NotifyError("NOTIFY_SMTP", "the SMTP server does not offer STARTTLS (smtp_tls = \"starttls\")", false);
      send("STARTTLS");
      await expect(220, "STARTTLS");
      r.detach();
      const plain = sock;
      sock = tlsConnect({ socket: plain, servername: o.host, ca: o.ca ? [o.ca] : undefined });
      await waitConnect(sock, "secureConnect");
      r.attach(sock);
      // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
      send(`EHLO ${helo}`);
      ehlo = await expect(250, "EHLO after STARTTLS");
    }
    if (o.user) {
      send(`AUTH PLAIN ${Buffer.from(`\0${o.user}\0${o.password}`).toString("base64")}`);
      await expect(235, "AUTH");
    }
    send(`MAIL FROM:<${o.from}>`);
    await expect(250, "MAIL FROM");
    for (const to of o.to) {
      send(`RCPT TO:<${to}>`);
      await expect(250, `RCPT TO ${to}`);
    }
    send("DATA");
    await expect(354, "DATA");
    sock.write(`${formatMessage(o.from, o.to, subject, text)}\r\n.\r\n`);
    await expect(250, "message");
    send("QUIT");
  } finally {
    clearTimeout(timer);
    sock.end();
  }
}
