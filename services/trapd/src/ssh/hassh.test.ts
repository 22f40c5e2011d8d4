import { expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { parseClientKexinit } from "./hassh.ts";

function kexinitPacket(lists: string[]): Buffer {
  const parts = [Buffer.from([20]), Buffer.alloc(16, 7)];
  for (const l of lists) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(Buffer.byteLength(l));
    parts.push(len, Buffer.from(l));
  }
  parts.push(Buffer.from([0, 0, 0, 0, 0]));
  const payload = Buffer.concat(parts);
  const pad = 8 - ((payload.length + 5) % 8) + 4;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length + pad + 1);
  head[4] = pad;
  return Buffer.concat([head, payload, Buffer.alloc(pad)]);
}

const LISTS = ["curve25519-sha256,ext-info-c", "ssh-ed25519", "aes128-ctr,aes256-gcm@openssh.com", "aes128-ctr", "hmac-sha2-256", "hmac-sha2-256", "none,zlib@openssh.com", "none", "", ""];

test("HASSH is the MD5 of kex;enc;mac;cmp (client to server), per the salesforce/hassh spec", () => {
  const wire = Buffer.concat([Buffer.from("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), kexinitPacket(LISTS)]);
  const want = "curve25519-sha256,ext-info-c;aes128-ctr,aes256-gcm@openssh.com;hmac-sha2-256;none,zlib@openssh.com";
  const got = parseClientKexinit(wire);
  expect(got).toEqual({ algorithms: want, hassh: createHash("md5").update(want).digest("hex"), lists: want.split(";") as [string, string, string, string] });
});

test("partial streams ask for more; garbage is refused", () => {
  const wire = Buffer.concat([Buffer.from("SSH-2.0-x\r\n"), kexinitPacket(LISTS)]);
  expect(parseClientKexinit(wire.subarray(0, 5))).toBe("more");
  expect(parseClientKexinit(wire.subarray(0, wire.length - 3))).toBe("more");
  expect(parseClientKexinit(Buffer.from("SSH-2.0-x\r\n\xff\xff\xff\xff\x00", "latin1"))).toBeUndefined();
  const notKex = kexinitPacket(LISTS);
  notKex[5] = 21;
  expect(parseClientKexinit(Buffer.concat([Buffer.from("SSH-2.0-x\n"), notKex]))).toBeUndefined();
});
