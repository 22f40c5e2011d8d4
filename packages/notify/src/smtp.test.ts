import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import { NotifyError } from "./errors.ts";
import { formatMessage, sendMail } from "./smtp.ts";

/**
 * A tiny SMTP receiver (RFC 5321 subset + STARTTLS with a throwaway self-signed certificate):
 * enough to prove the client speaks the protocol, upgrades to TLS before it authenticates, and
 * delivers the message.
 */
const dir = mkdtempSync(join(tmpdir(), "hm-smtp-"));
const received: { tls: boolean; auth: string; from: string; to: string[]; data: string }[] = [];
let server: Server;
let port = 0;
let key = "";
let cert = "";

function serve(raw: Socket, offerTls: boolean): void {
  let sock: Socket | TLSSocket = raw;
  let tls = false;
  let buf = "";
  let inData = false;
  const cur = { tls: false, auth: "", from: "", to: [] as string[], data: "" };
  const say = (l: string) => sock.write(`${l}\r\n`);
  const onData = (d: Buffer | string) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf("\r\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (inData) {
        if (line === ".") {
          inData = false;
          received.push({ ...cur, tls });
          say("250 queued");
        } else cur.data += `${line.startsWith("..") ? line.slice(1) : line}\n`;
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === "EHLO") say(`250-test\r\n${offerTls && !tls ? "250-STARTTLS\r\n" : ""}250 AUTH PLAIN`);
      else if (line.toUpperCase() === "STARTTLS") {
        say("220 go ahead");
        sock.removeListener("data", onData);
        const t = new TLSSocket(raw, { isServer: true, key, cert });
        sock = t;
        tls = true;
        t.on("data", onData);
      } else if (verb === "AUTH") {
        cur.auth = Buffer.from(line.split(" ")[2] ?? "", "base64").toString();
        say("235 ok");
      } else if (verb === "MAIL") {
        cur.from = /<(.*)>/.exec(line)?.[1] ?? "";
        say("250 ok");
      } else if (verb === "RCPT") {
        const to = /<(.*)>/.exec(line)?.[1] ?? "";
        if (to.startsWith("nobody@")) say("550 no such user");
        else {
          cur.to.push(to);
          say("250 ok");
        }
      } else if (verb === "DATA") {
        inData = true;
        say("354 end with .");
      } else if (verb === "QUIT") {
        say("221 bye");
        sock.end();
      } else say("502 not implemented");
    }
  };
  sock.on("data", onData);
  sock.on("error", () => {});
  say("220 test ESMTP");
}

let offerTls = true;
beforeAll(async () => {
  const r = Bun.spawnSync(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl: ${r.stderr.toString()}`);
  key = readFileSync(join(dir, "key.pem"), "utf8");
  cert = readFileSync(join(dir, "cert.pem"), "utf8");
  server = createServer((s) => serve(s, offerTls));
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const opts = () => ({ host: "localhost", port, tls: "starttls" as const, user: "hm", password: "s3cret", from: "honeymesh@example.org", to: ["ops@example.org", "sec@example.org"], timeoutMs: 5000, ca: cert });

test("STARTTLS, then AUTH PLAIN inside TLS, then the message to every recipient", async () => {
  await sendMail(opts(), "HoneyMesh n1: 3 events", "banned 192.0.2.1 for TRAP\n.a line starting with a dot");
  const m = received.at(-1)!;
  expect(m.tls).toBe(true);
  expect(m.auth).toBe("\0hm\0s3cret");
  expect(m.from).toBe("honeymesh@example.org");
  expect(m.to).toEqual(["ops@example.org", "sec@example.org"]);
  expect(m.data).toContain("Subject: HoneyMesh n1: 3 events");
  expect(m.data).toContain("banned 192.0.2.1 for TRAP\n.a line starting with a dot\n");
});

test("a server that does not offer STARTTLS is refused before any credential is sent", async () => {
  offerTls = false;
  const before = received.length;
  const e = await sendMail(opts(), "s", "t").catch((x) => x);
  offerTls = true;
  expect(e).toBeInstanceOf(NotifyError);
  expect((e as NotifyError).retry).toBe(false);
  expect(received.length).toBe(before);
});

test("a certificate the client does not trust fails the upgrade", async () => {
  expect(sendMail({ ...opts(), ca: undefined }, "s", "t")).rejects.toThrow(NotifyError);
});

test("a permanent refusal (5xx) is not retried", async () => {
  const e = (await sendMail({ ...opts(), to: ["nobody@example.org"] }, "s", "t").catch((x) => x)) as NotifyError;
  expect(e.message).toContain("550");
  expect(e.retry).toBe(false);
});

test("header values cannot inject lines", () => {
  const text = formatMessage("a@example.org", ["b@example.org"], "hi\r\nBcc: evil@example.org", "body");
  expect(text.split("\r\n").filter((l) => l.startsWith("Bcc:"))).toEqual([]);
});
